import { bearer, loginAs, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * A password someone else set (an administrator creating the user or resetting the password)
 * must be replaced by its user before anything else: the login says so, every other call
 * answers 403 `password_change_required` (who-am-I and the change itself stay open), and the
 * change lifts it. Audited. A user whose own password it is (the factories' and the demo's) is never asked.
 */
describe('auth: a password set by an administrator must be changed at next sign-in', () => {
  let t: TestApp;
  let admin: { id: number; token: string };
  const login = (loginId: string, password: string) => t.http().post('/api/auth/login').send({ login: loginId, password }).expect(200);
  const change = (token: string, currentPassword: string, newPassword: string) =>
    t.http().post('/api/auth/password').set(bearer(token)).send({ currentPassword, newPassword });
  const someEndpoint = (token: string) => t.http().get('/api/reminders/mine').set(bearer(token));
  // Token times are whole seconds: the fresh token must not share the second of the change.
  const nextSecond = () => new Promise((r) => setTimeout(r, 1100));

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '100' });
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
  });
  afterAll(() => t?.close());

  it('does not ask a user who set their own password', async () => {
    const user = await userWithToken(t, { login: 'jibun', roles: ['staff'] });
    expect((await login('jibun', 'password')).body.passwordChangeRequired).toBe(false);
    await someEndpoint(user.token).expect(200);
  });

  it('after an administrator resets a password: login flags it, other calls get 403 until the change, then everything works', async () => {
    const user = await userWithToken(t, { login: 'kacho', roles: ['chief'] });
    await nextSecond();
    await t.http().patch(`/api/org/users/${user.id}`).set(bearer(admin.token)).send({ password: 'Reset-By-Admin-7' }).expect(200);

    const signedIn = await login('kacho', 'Reset-By-Admin-7');
    expect(signedIn.body).toMatchObject({ passwordChangeRequired: true, accessToken: expect.any(String), actor: { id: user.id } });
    const token: string = signedIn.body.accessToken;
    const refused = await someEndpoint(token).expect(403);
    expect(refused.body).toEqual({
      statusCode: 403,
      error: 'password_change_required',
      message: 'このパスワードは管理者が設定したものです。続けるには、まずパスワードを変更してください',
    });
    await t.http().get('/api/cycles').set(bearer(token)).expect(403);
    expect((await t.http().get('/api/auth/me').set(bearer(token)).expect(200)).body).toMatchObject({ id: user.id, passwordChangeRequired: true });

    // The lockout and password rules still apply to the change itself.
    expect((await change(token, 'not-it', 'Chosen-By-Me-42').expect(422)).body.field).toBe('currentPassword');
    await change(token, 'Reset-By-Admin-7', 'Reset-By-Admin-7').expect(422);
    await nextSecond();
    const changed = await change(token, 'Reset-By-Admin-7', 'Chosen-By-Me-42').expect(200);
    await someEndpoint(changed.body.accessToken).expect(200);
    expect((await login('kacho', 'Chosen-By-Me-42')).body.passwordChangeRequired).toBe(false);
    await t.http().post('/api/auth/login').send({ login: 'kacho', password: 'Reset-By-Admin-7' }).expect(401);

    const audit = await t.db.query(
      `SELECT action, actor_user_id, comment, after->>'passwordChangeRequired' AS required FROM audit_log
        WHERE subject_type = 'user' AND subject_id = $1 AND action NOT LIKE 'session.%' ORDER BY id`,
      [String(user.id)],
    );
    expect(audit).toEqual([
      { action: 'user.password_reset', actor_user_id: admin.id, comment: null, required: 'true' },
      { action: 'user.password_change', actor_user_id: user.id, comment: '管理者が設定したパスワードを本人が変更（必須の変更）', required: null },
    ]);
  });

  it('a user an administrator creates must change the password the administrator chose', async () => {
    const created = await t
      .http()
      .post('/api/org/users')
      .set(bearer(admin.token))
      .send({ login: 'shinnin', name: '新任 職員', email: 'shinnin@example.jp', roles: ['staff'], password: 'Welcome-2024-x' })
      .expect(201);
    expect(created.body.passwordChangeRequired).toBe(true);
    const token = (await login('shinnin', 'Welcome-2024-x')).body.accessToken;
    expect((await someEndpoint(token).expect(403)).body.error).toBe('password_change_required');
    const [audit] = await t.db.query(`SELECT after->>'passwordChangeRequired' AS required FROM audit_log WHERE action = 'user.create'`);
    expect(audit.required).toBe('true');
    await nextSecond();
    const fresh = (await change(token, 'Welcome-2024-x', 'My-Own-Secret-9').expect(200)).body.accessToken;
    await someEndpoint(fresh).expect(200);
    await loginAs(t, 'shinnin', 'My-Own-Secret-9');
  });
});
