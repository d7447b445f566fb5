import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';
import { bearer, createUser } from './utils/factories';
import { freePort, startTestIdp, TestIdp } from './utils/oidc-provider';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Sessions in the web UI (Chromium): a mail link in a new tab is already signed in, the
 * sign-out button ends the session on the server, ログイン中の端末 signs other devices out, the
 * administrator's 「セッションを終了」 signs a user out everywhere, and 「シングルサインオンでログイン」
 * goes through a real OpenID provider and back.
 */
describe('web UI: sessions and single sign-on (Chromium)', () => {
  let t: TestApp;
  let idp: TestIdp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp = await startTestIdp(`${base}/api/auth/oidc/callback`);
    t = await createTestApp({
      LOGIN_RATE_LIMIT: '1000',
      PUBLIC_URL: base,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    });
    await t.app.listen(port, '127.0.0.1');
    await createUser(t, { login: 'kacho', roles: ['chief'], name: '課長 花子' });
    await createUser(t, { login: 'admin', roles: ['admin'], name: '管理 太郎' });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  /** A separate browser (its own storage): another device. */
  async function device(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  async function signInFor(page: Page, login: string): Promise<string> {
    await signIn(page, login, 'password', { at: `${base}/#/login` });
    return (await page.evaluate(() => localStorage.getItem('hyoka.token')))!;
  }

  it('opens a mail link in a new tab signed in, and the sign-out button ends the session on the server', async () => {
    const page = await device();
    const token = await signInFor(page, 'kacho');
    const tab = await page.context().newPage();
    await tab.goto(`${base}/#/password`);
    await tab.getByRole('heading', { name: 'パスワードの変更' }).waitFor();
    expect(tab.url()).not.toContain('#/login');
    await tab.close();

    await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await page.getByLabel('ログインID').waitFor();
    await t.http().get('/api/auth/me').set(bearer(token)).expect(401);
    expect(await page.evaluate(() => localStorage.getItem('hyoka.token'))).toBeNull();
  }, 60_000);

  it('lists ログイン中の端末 and signs every other device out with 「この端末以外をログアウト」', async () => {
    const office = await device();
    const laptop = await device();
    await signInFor(office, 'kacho');
    const laptopToken = await signInFor(laptop, 'kacho');
    await office.getByRole('link', { name: 'パスワード変更' }).click();
    const panel = office.getByRole('region', { name: 'ログイン中の端末' });
    await panel.getByRole('cell', { name: /この端末/ }).waitFor();
    await panel.locator('tbody tr').nth(1).waitFor();
    expect(await panel.locator('tbody tr').count()).toBe(2);
    await screenshot(office, 'sessions-01-panel');
    await panel.getByRole('button', { name: 'この端末以外をログアウト' }).click();
    await panel.getByText('この端末以外の1件の端末をログアウトしました。').waitFor();
    // The list reloads after the notice: wait for the other device's row to go.
    await panel.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
    expect(await panel.locator('tbody tr').count()).toBe(1);
    await t.http().get('/api/auth/me').set(bearer(laptopToken)).expect(401);
    // The signed-out device finds out on its next request.
    await laptop.getByRole('link', { name: 'パスワード変更' }).click();
    await laptop.getByLabel('ログインID').waitFor();
  }, 60_000);

  it("lets the administrator end a user's sessions from 利用者", async () => {
    const user = await device();
    const userToken = await signInFor(user, 'kacho');
    const admin = await device();
    await signInFor(admin, 'admin');
    await admin.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '利用者' }).click();
    admin.once('dialog', (dialog) => void dialog.accept());
    await admin.getByRole('button', { name: '課長 花子のセッションを終了' }).click();
    await admin.getByText(/課長 花子さんのログイン中の端末\(\d+件\)をログアウトしました。/).waitFor();
    await t.http().get('/api/auth/me').set(bearer(userToken)).expect(401);
  }, 60_000);

  it('signs in with 「シングルサインオンでログイン」 through the identity provider and back to the page asked for', async () => {
    idp.signInAs({ sub: 'idp-kacho', preferred_username: 'kacho' });
    const page = await device();
    await page.goto(`${base}/#/password`);
    await page.getByLabel('ログインID').waitFor();
    await page.getByRole('link', { name: 'シングルサインオンでログイン' }).click();
    await page.getByRole('heading', { name: 'パスワードの変更' }).waitFor();
    expect(page.url()).toMatch(/#\/password$/);
    const panel = page.getByRole('region', { name: 'ログイン中の端末' });
    await panel.getByRole('cell', { name: 'シングルサインオン' }).first().waitFor();
    await screenshot(page, 'sessions-02-sso');

    idp.signInAs({ sub: 'idp-nobody', preferred_username: 'nobody' });
    const stranger = await device();
    await stranger.goto(`${base}/#/login`);
    await stranger.getByRole('link', { name: 'シングルサインオンでログイン' }).click();
    await stranger.getByText('シングルサインオンの利用者「nobody」に対応する有効な利用者が登録されていません。管理者にお問い合わせください').waitFor();
    await stranger.getByRole('link', { name: 'ログイン画面へ戻る' }).click();
    await stranger.getByLabel('ログインID').waitFor();
  }, 60_000);
});
