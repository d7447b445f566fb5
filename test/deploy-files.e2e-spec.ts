import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { AppConfig, ensureJwtSecretFile, loadConfig } from '@app/config';

/**
 * The files a deployment reads but no other test runs: docker-compose.yml and the Dockerfile
 * (the development machines have no Docker engine), the systemd units (they have no systemd
 * running either), .env.example and the README's table of settings. They must name settings the
 * app knows, values it accepts, and files the build makes.
 */
const read = (path: string) => readFileSync(path, 'utf8');
const SETTINGS = Object.keys(new AppConfig());

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  restart?: string;
  ports?: string[];
  volumes?: string[];
}
interface Compose {
  'x-app-env': Record<string, string>;
  services: Record<string, ComposeService>;
}

/** Compose's interpolation as `docker compose` does it with an empty environment. */
function interpolate(value: string): string {
  return String(value)
    .replace(/\$\{(\w+):-([^}]*)\}/g, (_m, _name, fallback: string) => fallback)
    .replace(/\$\{(\w+):\?[^}]*\}/g, '')
    .replace(/\$\$/g, '$');
}

describe('deployment files', () => {
  const compose = load(read('docker-compose.yml')) as Compose;
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it('runs postgres, redis (noeviction), a mail catcher, migrations, the api and the worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'mailpit', 'migrate', 'postgres', 'redis', 'worker']);
    expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
  });

  it('gives the app only settings it knows, and values its validation accepts in production, with the key the installer generates', () => {
    const env = Object.fromEntries(Object.entries(compose['x-app-env']).map(([k, v]) => [k, interpolate(v)]));
    expect(Object.keys(env).filter((k) => !SETTINGS.includes(k))).toEqual([]);
    // No key given: the installer's file on the hyoka-secrets volume, which every app service mounts.
    expect(env).toMatchObject({ JWT_SECRET: '', JWT_SECRET_FILE: '/var/lib/hyoka/jwt-secret', DEMO_MODE: 'false', BIND_ADDRESS: '0.0.0.0' });
    for (const name of ['api', 'worker', 'migrate']) {
      expect(compose.services[name].volumes).toEqual([expect.stringMatching(/^hyoka-secrets:\/var\/lib\/hyoka(:ro)?$/)]);
    }
    expect(() => loadConfig(env)).toThrow(/JWT_SECRET_FILE: cannot read \/var\/lib\/hyoka\/jwt-secret/);
    const dir = mkdtempSync(join(tmpdir(), 'hyoka-compose-'));
    try {
      ensureJwtSecretFile(join(dir, 'jwt-secret'));
      const config = loadConfig({ ...env, JWT_SECRET_FILE: join(dir, 'jwt-secret') });
      expect(config).toMatchObject({
        NODE_ENV: 'production',
        DEMO_MODE: false,
        DB_HOST: 'postgres',
        REDIS_HOST: 'redis',
        SMTP_HOST: 'mailpit',
        SMTP_PORT: 1025,
      });
      // The example key of .env.example, copied into .env, is refused rather than used.
      const example = /^JWT_SECRET=(.*)$/m.exec(read('.env.example'))![1];
      expect(() => loadConfig({ ...env, JWT_SECRET: example })).toThrow(/published example key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const name of ['api', 'worker', 'migrate']) expect(compose.services[name].environment).toMatchObject(compose['x-app-env']);
  });

  it('restarts the long-running services, runs the installer once, seeds only a demo, and publishes on loopback by default', () => {
    for (const name of ['api', 'worker', 'postgres', 'redis', 'mailpit']) expect([name, compose.services[name].restart]).toEqual([name, 'unless-stopped']);
    expect(compose.services.migrate.restart).toBe('no');
    const migrate = compose.services.migrate.command!.join(' ');
    expect(migrate).toContain('npm run --silent install:production:dist');
    expect(migrate).toMatch(/if \[ "\$\$DEMO_MODE" = true \]; then npm run seed:dist; fi/);
    for (const name of ['api', 'mailpit']) for (const port of compose.services[name].ports!) expect(interpolate(port)).toMatch(/^127\.0\.0\.1:/);
    expect(read('Dockerfile')).toContain('chown node:node /var/lib/hyoka');
  });

  it('has systemd units that restart the api and the worker, read the settings file, run as a user, and start what the build makes', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    for (const [unit, script] of [
      ['hyoka-api', 'start:api'],
      ['hyoka-worker', 'start:worker'],
    ]) {
      const text = read(`deploy/systemd/${unit}.service`);
      const main = /node (\S+)/.exec(pkg.scripts[script])![1];
      expect(text).toMatch(/^Restart=always$/m);
      expect(text).toMatch(/^StartLimitIntervalSec=0$/m);
      expect(text).toMatch(/^EnvironmentFile=@ENV_FILE@$/m);
      expect(text).toMatch(/^User=@USER@$/m);
      expect(text).toMatch(/^WorkingDirectory=@REPO_ROOT@$/m);
      expect(text).toContain(`ExecStart=@NODE@ @REPO_ROOT@/${main}\n`);
      expect(text).toMatch(/^WantedBy=multi-user.target$/m);
      // Every placeholder is one the installer fills in.
      expect([...new Set(text.match(/@[A-Z_]+@/g))].sort()).toEqual(['@ENV_FILE@', '@NODE@', '@REPO_ROOT@', '@USER@']);
    }
    const lib = read('scripts/lib.sh');
    expect(lib).toContain('"$REPO_ROOT/deploy/systemd/$unit.service"');
    for (const placeholder of ['@REPO_ROOT@', '@USER@', '@ENV_FILE@', '@NODE@']) expect(lib).toContain(`s#${placeholder}#`);
    expect(read('scripts/up.sh')).toContain('install_systemd_units');
  });

  it('starts the files the build makes, with the same paths as the npm scripts', () => {
    const dockerfile = read('Dockerfile');
    const apiMain = /node (\S+)/.exec(pkg.scripts['start:api'])![1];
    const workerMain = /node (\S+)/.exec(pkg.scripts['start:worker'])![1];
    expect(dockerfile).toContain(`CMD ["node", "${apiMain}"]`);
    expect(compose.services.worker.command).toEqual(['node', workerMain]);
    const migrate = compose.services.migrate.command!.join(' ');
    const scripts = [...migrate.matchAll(/npm run (?:--\w+ )*([\w:-]+)/g)].map((m) => m[1]);
    expect(scripts).toEqual(['install:production:dist', 'seed:dist']);
    for (const script of scripts) expect(pkg.scripts[script]).toBeDefined();
    // The installer's compiled path is the one up.sh --production runs, built from an existing source.
    const installer = /node (\S+)/.exec(pkg.scripts['install:production:dist'])![1];
    expect(installer).toBe('dist/apps/api/libs/org/src/install/install.cli.js');
    expect(pkg.scripts['install:production']).toContain('libs/org/src/install/install.cli.ts');
    expect(existsSync('libs/org/src/install/install.cli.ts')).toBe(true);
    expect(read('scripts/up.sh')).toContain(`"$REPO_ROOT/${installer}"`);
    for (const [, from] of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      for (const path of from.split(' ')) if (!path.includes('*')) expect([path, existsSync(path)]).toEqual([path, true]);
    }
    expect(dockerfile).toContain('COPY --from=build /app/libs/seed/data ./libs/seed/data');
    expect(existsSync('libs/seed/data')).toBe(true);
  });

  it('documents every setting in .env.example and in the README, and nothing the app does not read', () => {
    const example = [...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    const readme = [...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(SETTINGS.filter((k) => !example.includes(k))).toEqual([]);
    expect(example.filter((k) => !SETTINGS.includes(k))).toEqual([]);
    expect(SETTINGS.filter((k) => !readme.includes(k))).toEqual([]);
    expect(readme.filter((k) => !SETTINGS.includes(k))).toEqual([]);
  });
});
