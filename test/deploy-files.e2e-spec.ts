import { existsSync, readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { AppConfig, loadConfig } from '@app/config';

/**
 * The files a deployment reads but no other test runs: docker-compose.yml and the Dockerfile
 * (the development machines have no Docker engine), .env.example and the README's table of
 * settings. They must name settings the app knows, values it accepts, and files the build makes.
 */
const read = (path: string) => readFileSync(path, 'utf8');
const SETTINGS = Object.keys(new AppConfig());

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
}
interface Compose {
  'x-app-env': Record<string, string>;
  services: Record<string, ComposeService>;
}

/** Compose's interpolation as `docker compose` does it with an empty environment (plus JWT_SECRET). */
function interpolate(value: string): string {
  return String(value)
    .replace(/\$\{(\w+):-([^}]*)\}/g, (_m, _name, fallback: string) => fallback)
    .replace(/\$\{(\w+):\?[^}]*\}/g, (_m, name: string) => (name === 'JWT_SECRET' ? 'a-long-enough-secret-for-tests' : ''))
    .replace(/\$\$/g, '$');
}

describe('deployment files', () => {
  const compose = load(read('docker-compose.yml')) as Compose;
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it('runs postgres, redis (noeviction), a mail catcher, migrations, the api and the worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'mailpit', 'migrate', 'postgres', 'redis', 'worker']);
    expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
  });

  it('gives the app only settings it knows, and values its validation accepts in production', () => {
    const env = Object.fromEntries(Object.entries(compose['x-app-env']).map(([k, v]) => [k, interpolate(v)]));
    expect(Object.keys(env).filter((k) => !SETTINGS.includes(k))).toEqual([]);
    const config = loadConfig(env);
    expect(config).toMatchObject({ NODE_ENV: 'production', DB_HOST: 'postgres', REDIS_HOST: 'redis', SMTP_HOST: 'mailpit', SMTP_PORT: 1025 });
    for (const name of ['api', 'worker', 'migrate']) expect(compose.services[name].environment).toMatchObject(compose['x-app-env']);
  });

  it('starts the files the build makes, with the same paths as the npm scripts', () => {
    const dockerfile = read('Dockerfile');
    const apiMain = /node (\S+)/.exec(pkg.scripts['start:api'])![1];
    const workerMain = /node (\S+)/.exec(pkg.scripts['start:worker'])![1];
    expect(dockerfile).toContain(`CMD ["node", "${apiMain}"]`);
    expect(compose.services.worker.command).toEqual(['node', workerMain]);
    const migrate = compose.services.migrate.command!.join(' ');
    for (const script of migrate.match(/npm run ([\w:-]+)/g)!.map((m) => m.slice(8))) expect(pkg.scripts[script]).toBeDefined();
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
