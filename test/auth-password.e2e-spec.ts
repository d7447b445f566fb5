import { bearer, loginAs, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * A user changes their own password; an administrator resets someone's. Either way every
 * token issued before the change stops working, and the change is audited without the hash.
 */
describe('auth: changing and resetting a password signs the other sessions out', () => {
  let t: TestApp;
  let user: { id: number; token: string };
  let admin: { id: number; token: string };
  const change = (token: string, body: object) => t.http().post('/api/auth/password').set(bearer(token)).send(body);
  const me = (token: string) => t.http().get('/api/auth/me').set(bearer(token));
  // Token times are whole seconds: tokens to be outdated are issued a second before the change.
  const nextSecond = () => new Promise((r) => setTimeout(r, 1100));

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '100' });
    user = await userWithToken(t, { login: 'kacho', roles: ['chief'] });
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
  });
  afterAll(() => t?.close());

  it('refuses a wrong current password, the same password and a short one, naming the field, and changes nothing', async () => {
    const wrong = await change(user.token, { currentPassword: 'nope', newPassword: 'New-Passw0rd' }).expect(422);
    expect(wrong.body).toMatchObject({ field: 'currentPassword', message: expect.stringContaining('現在のパスワードが正しくありません') });
    const same = await change(user.token, { currentPassword: 'password', newPassword: 'password' }).expect(422);
    expect(same.body.field).toBe('newPassword');
    const short = await change(user.token, { currentPassword: 'password', newPassword: 'short' }).expect(400);
    expect(JSON.stringify(short.body)).toContain('newPassword');
    // Long enough for the DTO, refused by the policy: guessable, or past 128 characters.
    const common = await change(user.token, { currentPassword: 'password', newPassword: 'qwerty1234' }).expect(422);
    expect(common.body).toMatchObject({ field: 'newPassword', message: 'newPassword: よく使われるパスワードは使用できません' });
    const long = await change(user.token, { currentPassword: 'password', newPassword: 'パスワード'.repeat(26) }).expect(422);
    expect(long.body.message).toContain('128文字以内');
    await me(user.token).expect(200);
    await loginAs(t, 'kacho'); // still 'password'
    const audit = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'user.password_change'`);
    expect(audit).toHaveLength(0);
  });

  it('changes it: the new token works, every older token and the old password do not, and the audit row has no hash', async () => {
    const otherSession = await loginAs(t, 'kacho');
    await nextSecond();
    const res = await change(user.token, { currentPassword: 'password', newPassword: 'New-Passw0rd!' }).expect(200);
    const fresh: string = res.body.accessToken;
    await me(fresh).expect(200);
    for (const old of [user.token, otherSession]) {
      const refused = await me(old).expect(401);
      expect(refused.body.message).toBe('パスワードが変更されました。再度ログインしてください');
    }
    await t.http().post('/api/auth/login').send({ login: 'kacho', password: 'password' }).expect(401);
    await t.http().post('/api/auth/login').send({ login: 'kacho', password: 'New-Passw0rd!' }).expect(200);
    const [audit] = await t.db.query(`SELECT actor_user_id, subject_id, before, after FROM audit_log WHERE action = 'user.password_change'`);
    expect(audit).toMatchObject({ actor_user_id: user.id, subject_id: String(user.id), before: null, after: null });
    const [{ hash }] = await t.db.query(`SELECT password_hash AS hash FROM users WHERE id = $1`, [user.id]);
    expect(JSON.stringify(audit)).not.toContain(hash);
    user.token = fresh;
  });

  it('signs the user out when an administrator resets the password', async () => {
    await nextSecond();
    await t.http().patch(`/api/org/users/${user.id}`).set(bearer(admin.token)).send({ password: 'Reset-Passw0rd' }).expect(200);
    await me(user.token).expect(401);
    await me(admin.token).expect(200);
    await t.http().post('/api/auth/login').send({ login: 'kacho', password: 'Reset-Passw0rd' }).expect(200);
  });
});
