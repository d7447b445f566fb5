import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RatingScalesService } from '@app/cycles';
import { runInTenant, TenantsService } from '@app/database';
import { createUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';
import { tenant } from './utils/builder';
import { CHECKED_STAFF_PAGES } from '@app/domain';
import { staffPageFindings } from './utils/axe';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

const LOGO = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">
  <title>入間市 市章</title>
  <rect width="120" height="40" rx="6" fill="#0a7d3b"/>
  <circle cx="20" cy="20" r="12" fill="#f5c518"/>
  <path d="M44 10h8v20h-8zM58 10h30v6H58zM58 24h30v6H58z" fill="#fff"/>
</svg>`;

/**
 * In Chromium, TENANCY=multi with two municipalities: 入間市's administrator signs in from its
 * address (/?t=112259), changes the contact on 団体設定 and uploads a logo, and the header shows
 * it (and the public site); a user of 千代田区 signing in from 千代田区's address sees 千代田区.
 */
describe('web UI: 団体設定 and signing in to a municipality (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ TENANCY: 'multi', MUNICIPALITY_NAME: '入間市', MUNICIPALITY_CODE: '112259', LOGIN_RATE_LIMIT: '1000' });
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await tenant(owner, { id: 2, code: '131016', name: '千代田区' });
    } finally {
      await owner.end();
    }
    await t.app.get(TenantsService).readProfiles();
    await runInTenant(1, () => createUser(t, { login: 'admin', roles: ['admin'], name: '入間 管理者' }));
    await runInTenant(2, async () => {
      await t.app.get(RatingScalesService).mirrorBuiltins();
      await createUser(t, { login: 'admin', roles: ['admin'], name: '千代田 管理者' });
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
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

  it("lets 入間市's administrator change the contact and upload a logo, which the header and the public site show", async () => {
    const page = await open();
    const refused: string[] = [];
    page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    await page.goto(`${base}/?t=112259#/login`);
    await page.getByLabel('ログインする団体').getByText('入間市').waitFor();
    expect(page.url()).toBe(`${base}/#/login`);
    await screenshot(page, 'tenant-login-iruma');
    await signIn(page, 'admin');
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '団体設定' }).click();
    await page.getByRole('heading', { name: '団体設定' }).waitFor();
    expect(await page.getByLabel('地方公共団体コード').textContent()).toBe('112259');
    expect(await page.locator('input[name="code"]').count()).toBe(0);

    // The page refuses a bad address before sending, naming the field.
    await page.getByLabel('問い合わせ先メールアドレス').fill('kikaku@');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('#tenant-contactEmail-error').waitFor();
    expect(await page.getByLabel('問い合わせ先メールアドレス').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('問い合わせ先メールアドレス').fill('kikaku@city.iruma.example.jp');
    await page.getByLabel(/担当課名/).fill('経営企画課');
    await page.getByLabel(/電話番号/).fill('04-2964-1111');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '団体の設定を保存しました' }).waitFor();
    expect(await page.getByLabel(/担当課名/).inputValue()).toBe('経営企画課');

    await page.getByLabel(/画像ファイル/).setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO) });
    await page.getByRole('button', { name: 'ロゴを登録' }).click();
    await page.getByRole('status').filter({ hasText: 'ロゴを登録しました' }).waitFor();
    const headerLogo = page.locator('header.app-header img.municipality-logo');
    await headerLogo.waitFor();
    expect(await headerLogo.getAttribute('src')).toBe('/public/logo/1?v=3');
    // Loaded from this origin, past the CSP: the image has its size.
    await page.waitForFunction(() => (document.querySelector('header.app-header img.municipality-logo') as HTMLImageElement | null)?.naturalWidth === 120);
    expect(await page.locator('header.app-header .municipality-name').textContent()).toBe('入間市');
    await screenshot(page, 'tenant-settings');
    // JIS X 8341-3 AA (WCAG 2.1 AA), as the accessibility record says.
    expect(CHECKED_STAFF_PAGES.find((p) => p.id === 'tenant-settings')?.suite).toBe('ui-tenant-profile');
    expect(await staffPageFindings(page)).toEqual([]);

    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      const { rows } = await owner.query(`SELECT contact_name, contact_phone, contact_email, logo_type, version FROM tenants WHERE id = 1`);
      expect(rows).toEqual([
        { contact_name: '経営企画課', contact_phone: '04-2964-1111', contact_email: 'kikaku@city.iruma.example.jp', logo_type: 'image/svg+xml', version: 3 },
      ]);
    } finally {
      await owner.end();
    }

    // The public site of this municipality, from the app's footer link: the same logo and name.
    await page.getByRole('link', { name: '公開サイト' }).click();
    await page.locator('header.site img.logo').waitFor();
    await page.waitForFunction(() => (document.querySelector('header.site img.logo') as HTMLImageElement | null)?.naturalWidth === 120);
    expect(await page.locator('header.site .name').textContent()).toContain('入間市');
    await screenshot(page, 'tenant-public-site');
    expect(refused.filter((m) => /Content Security Policy|Refused/.test(m))).toEqual([]);
  });

  it("signs a user in to 千代田区 from 千代田区's address and shows 千代田区's name, and a code typed on the sign-in page does the same", async () => {
    const page = await open();
    await page.goto(`${base}/?t=131016`);
    await page.getByLabel('ログインする団体').getByText('千代田区').waitFor();
    await signIn(page, 'admin');
    const brand = page.locator('header.app-header .brand');
    await brand.getByText('千代田区').waitFor();
    expect(await brand.textContent()).not.toContain('入間市');
    expect(await page.locator('header.app-header img.municipality-logo').count()).toBe(0);
    await screenshot(page, 'tenant-signed-in-chiyoda');

    // No municipality in the address: the sign-in page asks for its code first.
    const fresh = await open();
    await fresh.goto(`${base}/`);
    await fresh.getByLabel(/団体コード/).waitFor();
    expect(await fresh.getByRole('button', { name: 'ログイン', exact: true }).isDisabled()).toBe(true);
    await fresh.getByLabel(/団体コード/).fill('999999');
    await fresh.getByRole('button', { name: 'この団体でログイン' }).click();
    await fresh.getByText('団体コード 999999 の団体はありません').waitFor();
    expect(CHECKED_STAFF_PAGES.find((p) => p.id === 'login-tenant')?.suite).toBe('ui-tenant-profile');
    expect(await staffPageFindings(fresh)).toEqual([]);
    await screenshot(fresh, 'tenant-login-refused');
    await fresh.getByLabel(/団体コード/).fill('131016');
    await fresh.getByRole('button', { name: 'この団体でログイン' }).click();
    await fresh.getByLabel('ログインする団体').getByText('千代田区').waitFor();
    await screenshot(fresh, 'tenant-login-chosen');
    await signIn(fresh, 'admin');
    await fresh.locator('header.app-header .brand').getByText('千代田区').waitFor();
  });
});
