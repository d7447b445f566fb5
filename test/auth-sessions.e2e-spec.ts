import { bearer, createUser, loginAs, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Server-side sessions: every sign-in is a row of `sessions`, and a token works only while its
 * session is live. Signing out, 「この端末以外をログアウト」, an administrator's 「セッションを終了」,
 * a deactivation, a reset and a password change end sessions on the server, at once.
 */
describe('auth: server-side sessions', () => {
  let t: TestApp;
  let admin: { id: number; token: string };
  const me = (token: string) => t.http().get('/api/auth/me').set(bearer(token));
  const sessions = (token: string) => t.http().get('/api/auth/sessions').set(bearer(token));
  const loginFrom = async (login: string, agent: string) => {
    const res = await t.http().post('/api/auth/login').set('User-Agent', agent).send({ login, password: 'password' }).expect(200);
    return res.body.accessToken as string;
  };
  const liveRows = async (userId: number) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND ended_at IS NULL`, [userId]))[0].n as number;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
  });
  afterAll(() => t?.close());

  it('lists two sign-ins as two sessions, with device and address, the asking one marked current', async () => {
    const id = await createUser(t, { login: 'two-devices', roles: ['staff'] });
    const pc = await loginFrom('two-devices', 'Mozilla/5.0 (Windows NT 10.0) Office-PC');
    const tablet = await loginFrom('two-devices', 'Mozilla/5.0 (iPad) Tablet');
    const res = await sessions(pc).expect(200);
    expect(res.body).toHaveLength(2);
    const byAgent = Object.fromEntries(res.body.map((s: { userAgent: string }) => [s.userAgent, s]));
    expect(byAgent['Mozilla/5.0 (Windows NT 10.0) Office-PC']).toMatchObject({
      current: true,
      method: 'password',
      clientAddress: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(byAgent['Mozilla/5.0 (iPad) Tablet']).toMatchObject({ current: false });
    expect((await sessions(tablet).expect(200)).body.find((s: { current: boolean }) => s.current).userAgent).toContain('iPad');
    const audit = await t.db.query(`SELECT after FROM audit_log WHERE action = 'session.start' AND subject_id = $1`, [String(id)]);
    expect(audit).toHaveLength(2);
    expect(audit[0].after).toMatchObject({ method: 'password', sessionId: expect.any(String) });
  });

  it('signs out on the server: that token is refused with a Japanese 401, the other device keeps working', async () => {
    const id = await createUser(t, { login: 'signs-out', roles: ['staff'] });
    const a = await loginAs(t, 'signs-out');
    const b = await loginAs(t, 'signs-out');
    await t.http().post('/api/auth/logout').set(bearer(a)).expect(204);
    const refused = await me(a).expect(401);
    expect(refused.body.message).toBe('ログアウト済みです。再度ログインしてください');
    await me(b).expect(200);
    const [row] = await t.db.query(`SELECT end_reason, ended_by FROM sessions WHERE user_id = $1 AND ended_at IS NOT NULL`, [id]);
    expect(row).toEqual({ end_reason: 'logout', ended_by: id });
    const [audit] = await t.db.query(`SELECT actor_user_id, after FROM audit_log WHERE action = 'session.end' AND subject_id = $1`, [String(id)]);
    expect(audit).toMatchObject({ actor_user_id: id, after: { reason: 'logout' } });
    // Signing out twice: the second time the token is already refused.
    await t.http().post('/api/auth/logout').set(bearer(a)).expect(401);
  });

  it('「この端末以外をログアウト」 ends every other session and keeps this one', async () => {
    const id = await createUser(t, { login: 'end-others', roles: ['chief'] });
    const keep = await loginAs(t, 'end-others');
    const others = [await loginAs(t, 'end-others'), await loginAs(t, 'end-others')];
    const res = await t.http().post('/api/auth/sessions/end-others').set(bearer(keep)).expect(200);
    expect(res.body).toEqual({ ended: 2 });
    for (const token of others) await me(token).expect(401);
    await me(keep).expect(200);
    expect((await sessions(keep).expect(200)).body).toEqual([expect.objectContaining({ current: true })]);
    expect(await liveRows(id)).toBe(1);
  });

  it("ends one chosen session of one's own, and answers 404 for somebody else's", async () => {
    await createUser(t, { login: 'end-one', roles: ['staff'] });
    await createUser(t, { login: 'someone-else', roles: ['staff'] });
    const mine = await loginAs(t, 'end-one');
    const old = await loginAs(t, 'end-one');
    const theirs = await loginAs(t, 'someone-else');
    const listed = (await sessions(mine).expect(200)).body as { id: string; current: boolean }[];
    const oldId = listed.find((s) => !s.current)!.id;
    const theirId = (await sessions(theirs).expect(200)).body[0].id as string;
    await t.http().delete(`/api/auth/sessions/${theirId}`).set(bearer(mine)).expect(404);
    await me(theirs).expect(200);
    await t.http().delete(`/api/auth/sessions/not-a-uuid`).set(bearer(mine)).expect(404);
    await t.http().delete(`/api/auth/sessions/${oldId}`).set(bearer(mine)).expect(204);
    expect((await me(old).expect(401)).body.message).toBe('このログインは終了されました。再度ログインしてください');
    await me(mine).expect(200);
  });

  it("lets an administrator list and end a user's sessions: their tokens get 401 at once, audited", async () => {
    const id = await createUser(t, { login: 'ended-by-admin', roles: ['staff'] });
    const tokens = [await loginAs(t, 'ended-by-admin'), await loginAs(t, 'ended-by-admin')];
    const listed = await t.http().get(`/api/org/users/${id}/sessions`).set(bearer(admin.token)).expect(200);
    expect(listed.body).toHaveLength(2);
    const res = await t.http().delete(`/api/org/users/${id}/sessions`).set(bearer(admin.token)).expect(200);
    expect(res.body).toEqual({ ended: 2 });
    for (const token of tokens) {
      expect((await me(token).expect(401)).body.message).toBe('このログインは終了されました。再度ログインしてください');
    }
    await me(admin.token).expect(200);
    const [audit] = await t.db.query(`SELECT actor_user_id, after FROM audit_log WHERE action = 'session.end' AND subject_id = $1`, [String(id)]);
    expect(audit).toMatchObject({ actor_user_id: admin.id, after: { reason: 'ended_by_admin', sessionIds: expect.arrayContaining([expect.any(String)]) } });
    expect(audit.after.sessionIds).toHaveLength(2);
    await t.http().delete(`/api/org/users/99999999/sessions`).set(bearer(admin.token)).expect(404);
    // Signing in again works: ending sessions is not a lock.
    await me(await loginAs(t, 'ended-by-admin')).expect(200);
  });

  it('ends every session of a deactivated user', async () => {
    const id = await createUser(t, { login: 'deactivated', roles: ['staff'] });
    const token = await loginAs(t, 'deactivated');
    await t.http().delete(`/api/org/users/${id}`).set(bearer(admin.token)).expect(200);
    expect((await me(token).expect(401)).body.message).toBe('この利用者は無効化されたため、ログインが終了しました');
    const [row] = await t.db.query(`SELECT end_reason, ended_by FROM sessions WHERE user_id = $1`, [id]);
    expect(row).toEqual({ end_reason: 'user_deactivated', ended_by: admin.id });
    // Reactivated, the old session stays ended.
    await t.http().patch(`/api/org/users/${id}`).set(bearer(admin.token)).send({ active: true }).expect(200);
    await me(token).expect(401);
  });

  it("ends every session when an administrator resets the user's password", async () => {
    const id = await createUser(t, { login: 'reset', roles: ['staff'] });
    const token = await loginAs(t, 'reset');
    await t.http().patch(`/api/org/users/${id}`).set(bearer(admin.token)).send({ password: 'Reset-Passw0rd-1' }).expect(200);
    await me(token).expect(401);
    const [row] = await t.db.query(`SELECT end_reason FROM sessions WHERE user_id = $1`, [id]);
    expect(row.end_reason).toBe('password_reset');
  });

  it("ends the user's other sessions when they change their password; this one goes on with the new token", async () => {
    const id = await createUser(t, { login: 'changes', roles: ['staff'] });
    const here = await loginAs(t, 'changes');
    const elsewhere = await loginAs(t, 'changes');
    const res = await t.http().post('/api/auth/password').set(bearer(here)).send({ currentPassword: 'password', newPassword: 'Changed-Passw0rd' }).expect(200);
    await me(res.body.accessToken).expect(200);
    expect((await me(elsewhere).expect(401)).body.message).toBe('パスワードが変更されました。再度ログインしてください');
    const rows = await t.db.query(`SELECT end_reason FROM sessions WHERE user_id = $1 ORDER BY created_at`, [id]);
    expect(rows.map((r: { end_reason: string | null }) => r.end_reason)).toEqual([null, 'password_changed']);
    expect((await sessions(res.body.accessToken).expect(200)).body).toEqual([expect.objectContaining({ current: true })]);
  });

  it('refuses an expired session and a token with no session (issued before sessions existed)', async () => {
    const id = await createUser(t, { login: 'expires', roles: ['staff'] });
    const token = await loginAs(t, 'expires');
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [id]);
    expect((await me(token).expect(401)).body.message).toBe('ログインの有効期限が切れています。再度ログインしてください');
    const { JwtService } = await import('@nestjs/jwt');
    const legacy = await t.app.get(JwtService).signAsync({ sub: id });
    expect((await me(legacy).expect(401)).body.message).toContain('ログイン');
  });
});
