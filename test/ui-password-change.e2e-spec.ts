import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * In Chromium against the real api of a demo installation: the header and the login page say
 * 「デモ環境」, and a user signing in with a password an administrator set gets the change form
 * at once, nothing else, until the password is changed (also after a reload).
 */
describe('web UI: demo banner and the forced password change (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let admin: { id: number; token: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ DEMO_MODE: 'true', LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  const signInAt = (page: Page, loginId: string, password: string) => signIn(page, loginId, password, { at: `${base}/#/login`, until: 'submitted' });

  it('shows the change form right after signing in with an administrator-set password, and the app once it is changed', async () => {
    expect((await t.http().get('/api/system-info').expect(200)).body).toMatchObject({ demo: true, multiTenant: false });
    await t
      .http()
      .post('/api/org/users')
      .set(bearer(admin.token))
      .send({ login: 'shinnin', name: '新任 職員', email: 'shinnin@example.jp', roles: ['planning'], password: 'Welcome-2024-x' })
      .expect(201);
    const page = await open();
    await page.goto(`${base}/#/login`);
    await page.getByRole('note').filter({ hasText: 'デモ環境' }).waitFor();
    await signInAt(page, 'shinnin', 'Welcome-2024-x');

    await page.getByRole('heading', { name: 'パスワードの変更が必要です' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'メインメニュー' }).count()).toBe(0);
    // The password just typed is the current one: not asked again.
    expect(await page.getByLabel('現在のパスワード').count()).toBe(0);
    await screenshot(page, 'forced-password-change');
    await page.getByLabel('新しいパスワード(10文字以上)').fill('short');
    await page.getByLabel('新しいパスワード(確認)').fill('short');
    await page.getByRole('button', { name: '変更する' }).click();
    await page.getByRole('alert').filter({ hasText: '10文字以上' }).waitFor();
    await page.getByLabel('新しいパスワード(10文字以上)').fill('My-Own-Secret-9');
    await page.getByLabel('新しいパスワード(確認)').fill('My-Own-Secret-9');
    await page.getByRole('button', { name: '変更する' }).click();

    // The app itself, with the demo banner in its header, and the pages' data loads (no 403).
    const header = page.locator('header.app-header');
    await header.getByText('新任 職員').waitFor();
    await header.getByRole('note').filter({ hasText: 'デモ環境' }).waitFor();
    await page.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    await screenshot(page, 'demo-header');
    const [row] = await t.db.query(`SELECT password_change_required FROM users WHERE login = 'shinnin'`);
    expect(row.password_change_required).toBe(false);
    const audit = await t.db.query(`SELECT comment FROM audit_log WHERE action = 'user.password_change'`);
    expect(audit).toEqual([{ comment: '管理者が設定したパスワードを本人が変更（必須の変更）' }]);
  });

  it('keeps asking after a reload, now with the current password, until the change is made', async () => {
    const user = await userWithToken(t, { login: 'kacho', roles: ['planning'] });
    await t.http().patch(`/api/org/users/${user.id}`).set(bearer(admin.token)).send({ password: 'Reset-By-Admin-7' }).expect(200);
    const page = await open();
    await signInAt(page, 'kacho', 'Reset-By-Admin-7');
    await page.getByRole('heading', { name: 'パスワードの変更が必要です' }).waitFor();
    await page.goto(`${base}/#/cycles`);
    await page.reload();
    await page.getByRole('heading', { name: 'パスワードの変更が必要です' }).waitFor();
    await page.getByLabel('現在のパスワード').fill('Reset-By-Admin-7');
    await page.getByLabel('新しいパスワード(10文字以上)').fill('Kacho-Chooses-8');
    await page.getByLabel('新しいパスワード(確認)').fill('Kacho-Chooses-8');
    await page.getByRole('button', { name: '変更する' }).click();
    await page.getByRole('heading', { name: 'サイクル管理' }).waitFor();
  });
});
