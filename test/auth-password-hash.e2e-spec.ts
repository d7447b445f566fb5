import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import * as bcrypt from 'bcryptjs';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/bootstrap';
import { build } from './utils/builder';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const SCRYPT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$[\w-]{22}\$[\w-]{43}$/;

/**
 * Passwords are hashed with scrypt (crypto.scrypt, off the event loop) in a self-describing
 * form. A bcrypt hash from before still signs in and is replaced by a scrypt hash at that
 * sign-in, without counting as a password change; a wrong password fails against either kind;
 * a hash made with older scrypt parameters is upgraded the same way.
 */
describe('auth: password hashes (scrypt, bcrypt upgraded at sign-in)', () => {
  let t: TestApp;
  const login = (app: TestApp['http'], loginId: string, password: string) => app().post('/api/auth/login').send({ login: loginId, password });
  const stored = async (loginId: string) =>
    (await t.db.query(`SELECT password_hash, password_changed_at, updated_at FROM users WHERE login = $1`, [loginId]))[0] as {
      password_hash: string;
      password_changed_at: Date | null;
      updated_at: Date;
    };

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000', ACCOUNT_LOCKOUT_ATTEMPTS: '100' });
  });
  afterAll(() => t?.close());

  it('signs in with an old bcrypt hash, upgrades it to scrypt, and still refuses a wrong password', async () => {
    const legacy = await bcrypt.hash('Old-Passw0rd-1', 10);
    await build(t).user({ login: 'legacy', name: '旧', roles: ['staff'], passwordHash: legacy });
    await login(t.http, 'legacy', 'Wrong-Passw0rd').expect(401);
    expect((await stored('legacy')).password_hash).toBe(legacy);

    const before = await stored('legacy');
    const first = await login(t.http, 'legacy', 'Old-Passw0rd-1').expect(200);
    const after = await stored('legacy');
    expect(after.password_hash).toMatch(SCRYPT);
    expect(after.password_hash.split('$').slice(1, 4)).toEqual([
      String(t.config.PASSWORD_SCRYPT_N),
      String(t.config.PASSWORD_SCRYPT_R),
      String(t.config.PASSWORD_SCRYPT_P),
    ]);
    // Not a password change: no new password_changed_at (tokens stay valid), no audit row.
    expect(after.password_changed_at).toEqual(before.password_changed_at);
    expect(await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'user.password_change'`)).toHaveLength(0);
    await t.http().get('/api/auth/me').set(bearer(first.body.accessToken)).expect(200);

    // Now against the scrypt hash: the right password, a wrong one, and no second re-hash.
    await login(t.http, 'legacy', 'Old-Passw0rd-1').expect(200);
    await login(t.http, 'legacy', 'Wrong-Passw0rd').expect(401);
    await login(t.http, 'legacy', 'Old-Passw0rd-').expect(401);
    expect((await stored('legacy')).password_hash).toBe(after.password_hash);
    await t.http().get('/api/auth/me').set(bearer(first.body.accessToken)).expect(200);
  });

  it('hashes a password set through the api with scrypt, and changing it works with the new hash', async () => {
    const admin = await bcrypt.hash('password', 4);
    await build(t).user({ login: 'admin', name: '管理者', roles: ['admin'], passwordHash: admin });
    const adminToken = (await login(t.http, 'admin', 'password').expect(200)).body.accessToken;
    await t
      .http()
      .post('/api/org/users')
      .set(bearer(adminToken))
      .send({ login: 'fresh', name: '新規', email: 'fresh@example.jp', roles: ['staff'], password: 'Spring-Passw0rd' })
      .expect(201);
    expect((await stored('fresh')).password_hash).toMatch(SCRYPT);
    const token = (await login(t.http, 'fresh', 'Spring-Passw0rd').expect(200)).body.accessToken;
    await t
      .http()
      .post('/api/auth/password')
      .set(bearer(token))
      .send({ currentPassword: 'Spring-Passw0rd', newPassword: '春の小川は さらさら行くよ 岸のすみれや れんげの花に' })
      .expect(200);
    expect((await stored('fresh')).password_hash).toMatch(SCRYPT);
    // Longer than bcrypt's 72 bytes (bcrypt would have ignored the rest): every character counts.
    await login(t.http, 'fresh', '春の小川は さらさら行くよ 岸のすみれや れんげの花に').expect(200);
    await login(t.http, 'fresh', '春の小川は さらさら行くよ 岸のすみれや れんげの花').expect(401);
  });

  it('re-hashes a scrypt hash made with other parameters at the next sign-in', async () => {
    const old = (await stored('legacy')).password_hash;
    const N = t.config.PASSWORD_SCRYPT_N * 2;
    // A second api on the same database and Redis, configured with a higher cost.
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ ...t.config, PASSWORD_SCRYPT_N: N })] }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: ['error'] });
    configureApp(app);
    await app.init();
    try {
      const other = () => request(app.getHttpServer());
      await login(other, 'legacy', 'Wrong-Passw0rd').expect(401);
      expect((await stored('legacy')).password_hash).toBe(old);
      await login(other, 'legacy', 'Old-Passw0rd-1').expect(200);
      const upgraded = (await stored('legacy')).password_hash;
      expect(upgraded.match(SCRYPT)?.[1]).toBe(String(N));
      // The first api (lower cost) still verifies it, and does not downgrade it.
      await login(t.http, 'legacy', 'Old-Passw0rd-1').expect(200);
      expect((await stored('legacy')).password_hash).toBe(upgraded);
    } finally {
      await app.close();
    }
  });

  it('refuses an unknown login like a wrong password', async () => {
    const res = await login(t.http, 'nobody-here', 'Some-Passw0rd').expect(401);
    expect(res.body.message).toBe('ログインIDまたはパスワードが正しくありません');
  });
});
