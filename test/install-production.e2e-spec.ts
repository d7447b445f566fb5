import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createFirstAdministrator } from '@app/org/install/first-administrator';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { dropTestDatabase, testConfig } from './utils/test-database';

/**
 * The production install (scripts/up.sh --production and docker-compose's migrate service run
 * `npm run install:production`): a signing key file, the migrations, and one administrator with
 * a one-time password that must be changed at first sign-in. No demo user, no demo data.
 */
describe('production install', () => {
  it('the installer CLI generates the key, migrates an empty database, creates only the first administrator, and prints the password once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyoka-install-'));
    const config = testConfig();
    const admin = new Client({
      host: config.DB_HOST,
      port: config.DB_PORT,
      user: config.DB_MIGRATION_USER,
      password: config.DB_MIGRATION_PASSWORD,
      database: 'postgres',
    });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${config.DB_NAME}"`);
    await admin.end();
    try {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
      for (const key of ['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_MIGRATION_USER', 'DB_NAME', 'REDIS_HOST', 'REDIS_PORT', 'QUEUE_PREFIX'] as const)
        env[key] = String(config[key]);
      if (config.DB_MIGRATION_PASSWORD) env.DB_MIGRATION_PASSWORD = config.DB_MIGRATION_PASSWORD;
      if (config.DB_PASSWORD) env.DB_PASSWORD = config.DB_PASSWORD;
      const secretFile = join(dir, 'etc', 'jwt-secret');
      Object.assign(env, { NODE_ENV: 'production', JWT_SECRET_FILE: secretFile, TS_NODE_PROJECT: 'tsconfig.json' });
      const install = () =>
        spawnSync(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/org/src/install/install.cli.ts', '--email', 'it@example.jp'],
          {
            env,
            encoding: 'utf8',
            timeout: 90_000,
          },
        );

      const first = install();
      expect([first.status, first.stderr]).toEqual([0, expect.stringContaining('signing key generated')]);
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      const key = readFileSync(secretFile, 'utf8').trim();
      expect(Buffer.from(key, 'base64')).toHaveLength(32);
      const printed = Object.fromEntries(
        first.stdout
          .trim()
          .split('\n')
          .map((line) => line.split('=') as [string, string]),
      );
      expect(printed).toEqual({ ADMIN_LOGIN: 'admin', ADMIN_ONE_TIME_PASSWORD: expect.stringMatching(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/) });
      expect(first.stderr).not.toContain(printed.ADMIN_ONE_TIME_PASSWORD);

      const db = new Client({ host: config.DB_HOST, port: config.DB_PORT, user: config.DB_USER, password: config.DB_PASSWORD, database: config.DB_NAME });
      await db.connect();
      try {
        const users = (await db.query(`SELECT login, roles, email, password_change_required, password_hash FROM users`)).rows;
        expect(users).toEqual([
          { login: 'admin', roles: ['admin'], email: 'it@example.jp', password_change_required: true, password_hash: expect.stringMatching(/^scrypt\$/) },
        ]);
        expect(users[0].password_hash).not.toContain(printed.ADMIN_ONE_TIME_PASSWORD);
        const counts = (
          await db.query(`SELECT (SELECT count(*)::int FROM departments) AS d, (SELECT count(*)::int FROM plans) AS p, (SELECT count(*)::int FROM cycles) AS c`)
        ).rows[0];
        expect(counts).toEqual({ d: 0, p: 0, c: 0 });
        const audit = (await db.query(`SELECT action, actor_user_id, comment FROM audit_log`)).rows;
        expect(audit).toEqual([{ action: 'user.create', actor_user_id: null, comment: 'インストール時の最初の管理者（一時パスワード）' }]);
      } finally {
        await db.end();
      }

      // Again: the key and the administrator stay, nothing is printed.
      const second = install();
      expect([second.status, second.stdout]).toEqual([0, '']);
      expect(second.stderr).toContain('an administrator exists: nothing added');
      expect(readFileSync(secretFile, 'utf8').trim()).toBe(key);
    } finally {
      await dropTestDatabase(config);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('the first administrator', () => {
    let t: TestApp;
    let oneTime: string;

    beforeAll(async () => {
      t = await createTestApp({ LOGIN_RATE_LIMIT: '100' });
      const created = await createFirstAdministrator(t.db, t.config);
      oneTime = created!.oneTimePassword;
      expect(await createFirstAdministrator(t.db, t.config)).toBeNull();
      // Hashed like every other password from the start (scrypt), not upgraded later.
      const [admin] = await t.db.query(`SELECT password_hash FROM users WHERE login = 'admin'`);
      expect(admin.password_hash).toMatch(/^scrypt\$/);
    });
    afterAll(() => t?.close());

    it('signs in once with the one-time password, must change it before anything else, and then the one-time password is dead', async () => {
      const signedIn = await t.http().post('/api/auth/login').send({ login: 'admin', password: oneTime }).expect(200);
      expect(signedIn.body).toMatchObject({ passwordChangeRequired: true, actor: { roles: ['admin'] } });
      const token = signedIn.body.accessToken;
      expect((await t.http().get('/api/org/users').set(bearer(token)).expect(403)).body.error).toBe('password_change_required');
      await new Promise((r) => setTimeout(r, 1100));
      const changed = await t
        .http()
        .post('/api/auth/password')
        .set(bearer(token))
        .send({ currentPassword: oneTime, newPassword: 'Kanri-Sha-2024!' })
        .expect(200);
      const users = await t.http().get('/api/org/users').set(bearer(changed.body.accessToken)).expect(200);
      expect(users.body.map((u: { login: string }) => u.login)).toEqual(['admin']);
      await t.http().post('/api/auth/login').send({ login: 'admin', password: oneTime }).expect(401);
      expect((await t.http().post('/api/auth/login').send({ login: 'admin', password: 'Kanri-Sha-2024!' }).expect(200)).body.passwordChangeRequired).toBe(
        false,
      );
    });
  });
});
