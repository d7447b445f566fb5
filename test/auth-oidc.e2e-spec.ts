import { bearer, createUser } from './utils/factories';
import { CookieJar, followRedirects, freePort, startTestIdp, TestIdp } from './utils/oidc-provider';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Single sign-on against a real OpenID provider (oidc-provider) on a loopback port: the api
 * listens on its own port, and the test plays the browser (fetch, redirects by hand, cookies).
 */
describe('auth: single sign-on (OpenID Connect)', () => {
  let t: TestApp;
  let idp: TestIdp;
  let api: string;
  const callbackPath = '/api/auth/oidc/callback';

  beforeAll(async () => {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    idp = await startTestIdp(`${api}${callbackPath}`);
    t = await createTestApp({
      PUBLIC_URL: api,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    });
    await t.app.listen(port, '127.0.0.1');
    await createUser(t, { login: 'kacho', roles: ['chief'] });
    const retired = await createUser(t, { login: 'retired', roles: ['staff'] });
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [retired]);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  /** Starts at the api, signs in at the provider, and stops at the callback (not yet called). */
  async function toCallback(jar: CookieJar, next = '/entries/5'): Promise<string> {
    return followRedirects(`${api}/api/auth/oidc/start?next=${encodeURIComponent(next)}`, jar, (url) => url.startsWith(`${api}${callbackPath}`));
  }
  const call = (url: string, jar: CookieJar) => fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
  const sessionRows = async () => (await t.db.query(`SELECT count(*)::int AS n FROM sessions`))[0].n as number;

  it('says that single sign-on is on, for the login page', async () => {
    expect((await t.http().get('/api/auth/oidc').expect(200)).body).toEqual({ enabled: true });
  });

  it('signs a mapped user in: a one-time code in the fragment, exchanged for a token that works, as an SSO session', async () => {
    idp.signInAs({ sub: 'idp-0001', preferred_username: 'kacho', email: 'kacho@example.jp' });
    const jar = new CookieJar();
    const callback = await toCallback(jar);
    // PKCE, state and nonce went to the provider.
    expect(new URL(callback).searchParams.get('code')).toBeTruthy();
    const res = await call(callback, jar);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${api}/`);
    const fragment = new URLSearchParams(location.hash.replace(/^#\/login\?/, ''));
    expect(fragment.get('next')).toBe('/entries/5');
    const code = fragment.get('sso')!;
    expect(code).toMatch(/^[\w-]{40,}$/);
    // No token in any URL.
    expect(location.href).not.toMatch(/eyJ/);

    const exchange = (cookie: string) =>
      fetch(`${api}/api/auth/oidc/exchange`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ code }) });
    // Another browser (without this one's cookie) cannot use a leaked code...
    expect((await exchange('')).status).toBe(401);
    const ok = await exchange(jar.header(`${api}/api/auth/oidc/exchange`));
    // ...and the code works once (the failed try above already used it up: one-time means one try).
    expect(ok.status).toBe(401);

    // Again, exchanged properly this time.
    const jar2 = new CookieJar();
    const res2 = await call(await toCallback(jar2), jar2);
    const code2 = new URLSearchParams(new URL(res2.headers.get('location')!).hash.replace(/^#\/login\?/, '')).get('sso')!;
    const body = { code: code2 };
    const signedIn = await fetch(`${api}/api/auth/oidc/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: jar2.header(`${api}/api/auth/oidc/exchange`) },
      body: JSON.stringify(body),
    });
    expect(signedIn.status).toBe(200);
    const { accessToken, actor } = (await signedIn.json()) as { accessToken: string; actor: { name: string } };
    expect(actor.name).toBe('kacho');
    await t.http().get('/api/auth/me').set(bearer(accessToken)).expect(200);
    const sessions = (await t.http().get('/api/auth/sessions').set(bearer(accessToken)).expect(200)).body;
    expect(sessions).toEqual([expect.objectContaining({ method: 'sso', current: true })]);
    // The same code a second time: refused.
    const replay = await fetch(`${api}/api/auth/oidc/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: jar2.header(`${api}/api/auth/oidc/exchange`) },
      body: JSON.stringify(body),
    });
    expect(replay.status).toBe(401);
    // Signed out like any other session.
    await t.http().post('/api/auth/logout').set(bearer(accessToken)).expect(204);
    await t.http().get('/api/auth/me').set(bearer(accessToken)).expect(401);
  });

  it('refuses an IdP user with no organisation user, in Japanese, and opens no session', async () => {
    const before = await sessionRows();
    idp.signInAs({ sub: 'idp-0002', preferred_username: 'stranger' });
    const jar = new CookieJar();
    const res = await call(await toCallback(jar), jar);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('シングルサインオンの利用者「stranger」に対応する有効な利用者が登録されていません。管理者にお問い合わせください');
    expect(page).toContain('ログイン画面へ戻る');
    expect(res.headers.get('location')).toBeNull();
    expect(await sessionRows()).toBe(before);
    const users = await t.db.query(`SELECT 1 FROM users WHERE login = 'stranger'`);
    expect(users).toHaveLength(0);
  });

  it('refuses an inactive organisation user the same way', async () => {
    const before = await sessionRows();
    idp.signInAs({ sub: 'idp-0003', preferred_username: 'retired' });
    const jar = new CookieJar();
    const res = await call(await toCallback(jar), jar);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('シングルサインオンの利用者「retired」に対応する有効な利用者が登録されていません');
    expect(await sessionRows()).toBe(before);
  });

  it('refuses a tampered state, a callback in another browser and a replayed callback', async () => {
    const before = await sessionRows();
    idp.signInAs({ sub: 'idp-0001', preferred_username: 'kacho' });
    const badState = 'シングルサインオンの手続きが正しくないか、期限が切れています。ログイン画面からもう一度やり直してください';

    const jar = new CookieJar();
    const callback = new URL(await toCallback(jar));
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const refused = await call(tampered.href, jar);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(badState);

    const other = new CookieJar();
    const elsewhere = await call((await toCallback(jar)).toString(), other);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain(badState);

    const jar3 = new CookieJar();
    const good = await toCallback(jar3);
    expect((await call(good, jar3)).status).toBe(302);
    const replay = await call(good, jar3);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain(badState);
    // No session is opened before the code is exchanged.
    expect(await sessionRows()).toBe(before);
  });

  it('passes on the reason when the provider refuses, and never redirects outside the web UI after sign-in', async () => {
    const jar = new CookieJar();
    const start = await fetch(`${api}/api/auth/oidc/start`, { redirect: 'manual' });
    jar.store(api, start);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const denied = await call(`${api}${callbackPath}?error=access_denied&error_description=denied%20by%20user&state=${state}`, jar);
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('シングルサインオンでログインできませんでした（denied by user）');

    idp.signInAs({ sub: 'idp-0001', preferred_username: 'kacho' });
    const jar2 = new CookieJar();
    const res = await call(await toCallback(jar2, '//evil.example/steal'), jar2);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(api);
    expect(new URLSearchParams(location.hash.replace(/^#\/login\?/, '')).get('next')).toBeNull();
  });
});

describe('auth: single sign-on mapped by e-mail (OIDC_USER_CLAIM=email)', () => {
  let t: TestApp;
  let idp: TestIdp;
  let api: string;

  beforeAll(async () => {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    idp = await startTestIdp(`${api}/api/auth/oidc/callback`);
    t = await createTestApp({
      PUBLIC_URL: api,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_USER_CLAIM: 'email',
    });
    await t.app.listen(port, '127.0.0.1');
    await createUser(t, { login: 'sato', roles: ['staff'] }); // sato@example.jp
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  async function callback(): Promise<Response> {
    const jar = new CookieJar();
    const url = await followRedirects(`${api}/api/auth/oidc/start`, jar, (u) => u.startsWith(`${api}/api/auth/oidc/callback`));
    return fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
  }

  it('matches the address case-insensitively, whatever the IdP user name', async () => {
    idp.signInAs({ sub: 'idp-sato', preferred_username: 'someone-else', email: 'Sato@Example.JP', email_verified: true });
    const res = await callback();
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/#\/login\?sso=/);
  });

  it('refuses an address the provider says is not verified', async () => {
    idp.signInAs({ sub: 'idp-sato2', email: 'sato@example.jp', email_verified: false });
    const res = await callback();
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('メールアドレスが確認済みではないため');
  });
});
