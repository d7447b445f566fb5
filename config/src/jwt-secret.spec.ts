import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from './app-config';
import { ensureJwtSecretFile, jwtSecretProblem } from './jwt-secret';

/** The signing key production accepts: never a published one, never a short or patterned one. */
describe('production signing key', () => {
  const production = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'production', ...env });
  const exampleValue = /^JWT_SECRET=(.*)$/m.exec(readFileSync('.env.example', 'utf8'))?.[1] ?? '';
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hyoka-jwt-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the development default, explicitly or by default', () => {
    expect(() => production({})).toThrow(/JWT_SECRET: is a published example key/);
    expect(() => production({ JWT_SECRET: DEV_JWT_SECRET })).toThrow(ConfigError);
  });

  it('refuses the example value of .env.example', () => {
    expect(exampleValue.length).toBeGreaterThan(0);
    expect(() => production({ JWT_SECRET: exampleValue })).toThrow(/published example key/);
  });

  it('refuses keys shorter than 32 bytes, also the 16-character ones development accepts', () => {
    const short = randomBytes(12).toString('base64'); // 16 characters
    expect(loadConfig({ JWT_SECRET: short }).JWT_SECRET).toBe(short);
    expect(() => production({ JWT_SECRET: short })).toThrow(/at least 32 bytes \(it has 16\)/);
    expect(() => production({ JWT_SECRET: randomBytes(23).toString('hex').slice(0, 31) })).toThrow(/32 bytes/);
  });

  it('refuses long keys with too little variety', () => {
    for (const weak of ['a'.repeat(40), 'abcd'.repeat(10), '0123456789'.repeat(4), 'passwordpasswordpasswordpassword12']) {
      expect([weak, jwtSecretProblem(weak)]).toEqual([weak, expect.stringMatching(/variety/)]);
      expect(() => production({ JWT_SECRET: weak })).toThrow(ConfigError);
    }
  });

  it('accepts a 32-byte random key, in base64 or hex', () => {
    for (const key of [randomBytes(32).toString('base64'), randomBytes(32).toString('hex')]) {
      expect(production({ JWT_SECRET: key }).JWT_SECRET).toBe(key);
    }
  });

  it('reads the key from JWT_SECRET_FILE when JWT_SECRET is unset, and checks it the same way', () => {
    const file = join(dir, 'generated', 'jwt-secret');
    expect(ensureJwtSecretFile(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'generated')).mode & 0o777).toBe(0o700);
    const key = readFileSync(file, 'utf8').trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(production({ JWT_SECRET_FILE: file }).JWT_SECRET).toBe(key);
    // A second install keeps the key (replacing it would sign everyone out).
    expect(ensureJwtSecretFile(file)).toBe(false);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);

    const weak = join(dir, 'weak');
    writeFileSync(weak, `${DEV_JWT_SECRET}\n`, { mode: 0o600 });
    expect(() => production({ JWT_SECRET_FILE: weak })).toThrow(/JWT_SECRET_FILE \(.*weak\): is a published example key/);
  });

  it('refuses a key file other users can read, or one that is missing', () => {
    const open = join(dir, 'open');
    writeFileSync(open, randomBytes(32).toString('base64'));
    chmodSync(open, 0o644);
    expect(() => production({ JWT_SECRET_FILE: open })).toThrow(/readable by other users; chmod 600/);
    expect(() => production({ JWT_SECRET_FILE: join(dir, 'missing') })).toThrow(/cannot read .*missing \(ENOENT\)/);
  });
});
