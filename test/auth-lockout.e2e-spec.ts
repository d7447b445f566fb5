import { bearer, createUser, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Account lockout: repeated failed sign-ins lock the account (423, counted per account in
 * Redis, whatever the client's address), the same for a login that does not exist; the
 * password-change endpoint counts against the same lock, so a stolen token is no password
 * oracle; an administrator unlocks, and a password reset ends the lock too. Audited.
 */
describe('auth: account lockout', () => {
  let t: TestApp;
  let admin: { id: number; token: string };
  const login = (loginId: string, password: string) => t.http().post('/api/auth/login').send({ login: loginId, password });

  beforeAll(async () => {
    t = await createTestApp({ ACCOUNT_LOCKOUT_ATTEMPTS: '3', ACCOUNT_LOCKOUT_SECONDS: '600', LOGIN_RATE_LIMIT: '1000' });
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
  });
  afterAll(() => t?.close());

  it('locks an account after repeated failures, even against the right password, and an administrator unlocks it', async () => {
    const id = await createUser(t, { login: 'kacho', roles: ['chief'] });
    for (let i = 0; i < 3; i++) await login('kacho', 'wrong-password').expect(401);
    const locked = await login('kacho', 'password').expect(423);
    expect(locked.body).toMatchObject({
      error: 'locked',
      message: expect.stringContaining('一時的にロックされています'),
      retryAfterSeconds: expect.any(Number),
    });
    expect(locked.body.retryAfterSeconds).toBeGreaterThan(500);
    const audit = await t.db.query(`SELECT action, subject_id FROM audit_log WHERE action = 'user.locked'`);
    expect(audit).toEqual([{ action: 'user.locked', subject_id: String(id) }]);

    await t.http().post(`/api/org/users/${id}/unlock`).set(bearer(admin.token)).expect(200);
    await login('kacho', 'password').expect(200);
    expect(await t.db.query(`SELECT actor_user_id FROM audit_log WHERE action = 'user.unlock' AND subject_id = $1`, [String(id)])).toEqual([
      { actor_user_id: admin.id },
    ]);
  });

  it('answers a login that does not exist the same way, so the lock reveals nothing', async () => {
    for (let i = 0; i < 3; i++) await login('nobody-here', 'whatever-password').expect(401);
    expect((await login('nobody-here', 'whatever-password').expect(423)).body.error).toBe('locked');
  });

  it('counts wrong current passwords on the change endpoint against the same lock; a reset by an administrator ends it', async () => {
    const user = await userWithToken(t, { login: 'tanto', roles: ['staff'] });
    const change = (current: string) =>
      t.http().post('/api/auth/password').set(bearer(user.token)).send({ currentPassword: current, newPassword: 'Brand-New-Passw0rd' });
    for (let i = 0; i < 3; i++) await change('not-the-password').expect(422);
    await change('password').expect(423);
    await login('tanto', 'password').expect(423);
    await t.http().patch(`/api/org/users/${user.id}`).set(bearer(admin.token)).send({ password: 'Reset-By-Admin-1' }).expect(200);
    await login('tanto', 'Reset-By-Admin-1').expect(200);
  });

  it('a success clears the count, so failures must come in a row', async () => {
    await createUser(t, { login: 'hancho', roles: ['staff'] });
    for (let round = 0; round < 3; round++) {
      await login('hancho', 'wrong-password').expect(401);
      await login('hancho', 'wrong-password').expect(401);
      await login('hancho', 'password').expect(200);
    }
  });
});
