import { RatingScalesService } from '@app/cycles';
import { runInTenant, TenantsService } from '@app/database';
import { tenant } from './utils/builder';
import { bearer, createUser } from './utils/factories';
import { CookieJar, followRedirects, freePort, startTestIdp, TestIdp } from './utils/oidc-provider';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

/**
 * Single sign-on in an installation of several municipalities (TENANCY=multi): the browser's trip
 * to the provider and back carries no X-Tenant, so the start link names the municipality (?t=),
 * the IdP user is looked up there only (the same login in two municipalities is two people), and
 * the session is that municipality's: exchanged under another's header it is refused.
 */
describe('auth: single sign-on per municipality (TENANCY=multi)', () => {
  let t: TestApp;
  let idp: TestIdp;
  let api: string;
  const callbackPath = '/api/auth/oidc/callback';
  const IRUMA = '112259';
  const CHIYODA = '131016';

  beforeAll(async () => {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    idp = await startTestIdp(`${api}${callbackPath}`);
    t = await createTestApp({
      TENANCY: 'multi',
      MUNICIPALITY_NAME: '入間市',
      MUNICIPALITY_CODE: IRUMA,
      PUBLIC_URL: api,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    });
    await t.app.listen(port, '127.0.0.1');
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await tenant(owner, { id: 2, code: CHIYODA, name: '千代田区' });
    } finally {
      await owner.end();
    }
    await t.app.get(TenantsService).readProfiles();
    await runInTenant(1, () => createUser(t, { login: 'kacho', roles: ['chief'], name: '入間 課長' }));
    await runInTenant(2, async () => {
      await t.app.get(RatingScalesService).mirrorBuiltins();
      await createUser(t, { login: 'kacho', roles: ['chief'], name: '千代田 課長' });
    });
    idp.signInAs({ sub: 'idp-kacho', preferred_username: 'kacho' });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const call = (url: string, jar: CookieJar) => fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
  /** Signs in at the provider from the start link of `query`; the one-time code the web UI gets. */
  async function codeFor(query: string, jar: CookieJar): Promise<string> {
    const callback = await followRedirects(`${api}/api/auth/oidc/start?${query}`, jar, (url) => url.startsWith(`${api}${callbackPath}`));
    const res = await call(callback, jar);
    expect(res.status).toBe(302);
    return new URLSearchParams(new URL(res.headers.get('location')!).hash.replace(/^#\/login\?/, '')).get('sso')!;
  }
  const exchange = (code: string, jar: CookieJar, tenantCode: string) =>
    fetch(`${api}/api/auth/oidc/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': tenantCode, cookie: jar.header(`${api}/api/auth/oidc/exchange`) },
      body: JSON.stringify({ code }),
    });

  it('signs in to the municipality of the start link, as its own user of that login', async () => {
    for (const [code, name] of [
      [CHIYODA, '千代田 課長'],
      [IRUMA, '入間 課長'],
    ]) {
      const jar = new CookieJar();
      const res = await exchange(await codeFor(`t=${code}&next=%2Finbox`, jar), jar, code);
      expect(res.status).toBe(200);
      const { accessToken, actor } = (await res.json()) as { accessToken: string; actor: { name: string } };
      expect(actor.name).toBe(name);
      await t.http().get('/api/auth/me').set(bearer(accessToken)).set('X-Tenant', code).expect(200);
      // The session is that municipality's: under the other's header it is no session at all.
      await t
        .http()
        .get('/api/auth/me')
        .set(bearer(accessToken))
        .set('X-Tenant', code === IRUMA ? CHIYODA : IRUMA)
        .expect(401);
    }
    // One SSO session in each municipality, each of its own user.
    for (const id of [1, 2]) {
      const rows = await runInTenant(id, () => t.db.query(`SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.method = 'sso'`));
      expect(rows).toEqual([{ name: id === 1 ? '入間 課長' : '千代田 課長' }]);
    }
  });

  it("refuses to exchange a sign-in for one municipality under another's header", async () => {
    const jar = new CookieJar();
    const res = await exchange(await codeFor(`t=${CHIYODA}`, jar), jar, IRUMA);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toContain('シングルサインオンのログインが無効か期限切れです');
  });

  it('asks for the municipality when the start link names none, and refuses an unknown one, in Japanese', async () => {
    const none = await fetch(`${api}/api/auth/oidc/start`, { redirect: 'manual' });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('ログインする団体（地方公共団体コード）が指定されていません');
    const unknown = await fetch(`${api}/api/auth/oidc/start?t=999999`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('地方公共団体コード 999999 の団体はありません');
  });
});
