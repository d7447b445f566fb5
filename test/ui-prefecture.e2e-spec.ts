import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHECKED_STAFF_PAGES } from '@app/domain';
import { staffPageFindings } from './utils/axe';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';
import { MunicipalityFixture, PrefectureWorld } from './utils/prefecture-fixture';
import type { TestApp } from './utils/test-app';

/**
 * 市区町村の比較 in Chromium: 埼玉県's 都道府県担当 signs in (the browser names its
 * municipality by X-Tenant, as a host per tenant's proxy does), finds only that page in its
 * menu, and reads 所沢市 and 入間市 side by side for the shared template: 令和6年度 上半期, each
 * one's reported share and its counts per rating; 千代田区, outside the prefecture, is not there.
 */
describe('web UI (Chromium): the prefecture compares its municipalities', () => {
  let t: TestApp;
  let w: PrefectureWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const CODE = 'sougou-half';
  let tokorozawa: MunicipalityFixture;
  let rows: Record<string, [string, string | null, string][]>;

  beforeAll(async () => {
    ensureWebBuilt();
    ({ t, w, base } = await PrefectureWorld.start({ listen: true }));
    const shared = (
      await w
        .http('post', '/api/shared-templates', 'pref-planning', '110001')
        .send({ code: CODE, name: '総合計画 半期評価', periodType: 'half_year', scaleCode: 'abcd' })
        .expect(201)
    ).body;
    rows = {
      '112259': [
        ['accepted', 'A', '完了'],
        ['accepted', 'B', '実施中'],
        ['submitted', 'A', '提出中'],
        ['draft', 'C', '下書き'],
      ],
      '112089': [
        ['accepted', 'A', '完了'],
        ['accepted', 'A', '完了'],
        ['accepted', 'C', '着手'],
        ['accepted', 'D', '未着手'],
      ],
    };
    // 入間市 adopts through the API; 所沢市's planning division does it on its templates page (the first test).
    const iruma = await w.municipality(w.IRUMA, '112259', '入間市');
    const tpl = (await w.http('post', `/api/shared-templates/${shared.id}/adopt`, '112259-planning', '112259').send({ planId: iruma.planId }).expect(201)).body;
    await w.publish(iruma, tpl.id, rows['112259']);
    tokorozawa = await w.municipality(w.tokorozawa, '112089', '所沢市');
    const chiyoda = await w.municipality(w.chiyoda, '131016', '千代田区');
    const own = (
      await w
        .http('post', '/api/templates', '131016-planning', '131016')
        .send({ code: CODE, name: '総合計画 半期評価', planId: chiyoda.planId, periodType: 'half_year', scaleCode: 'abcd' })
        .expect(201)
    ).body;
    await w.publish(chiyoda, own.id, rows['112089']);

    browser = await launchChromium();
  }, 180_000);

  /** A browser of one municipality's (or the prefecture's) host: its requests name it by X-Tenant, as that host's proxy does. */
  async function browse(code: string): Promise<void> {
    await context?.close().catch(() => undefined);
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
      extraHTTPHeaders: { 'X-Tenant': code },
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }
  const a11y = async (id: string) => {
    expect(CHECKED_STAFF_PAGES.find((p) => p.id === id)?.suite).toBe('ui-prefecture');
    expect({ id, findings: await staffPageFindings(page) }).toEqual({ id, findings: [] });
  };

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('所沢市’s planning division adopts the shared template from its templates page and lands in the editor of its own copy', async () => {
    await browse('112089');
    await signIn(page, 'kikaku', 'password', { at: `${base}/#/login`, until: 'menu' });
    await page.goto(`${base}/#/templates`);
    const card = page.getByRole('region', { name: '都道府県の共通テンプレート' });
    const row = card.getByRole('row', { name: /総合計画 半期評価/ });
    await row.getByRole('cell', { name: '第1版' }).waitFor();
    await row.getByLabel('総合計画 半期評価を採用する計画').selectOption({ label: '所沢市総合計画' });
    await a11y('templates-shared');
    await screenshot(page, 'prefecture-shared-templates');
    await row.getByRole('button', { name: '採用' }).click();
    await page.getByText('共通テンプレート「総合計画 半期評価」を採用しました。承認ルートを設定して保存してください。').waitFor();
    await page.waitForURL(/#\/templates\/\d+$/);
    const id = Number(/templates\/(\d+)$/.exec(page.url())![1]);
    await card
      .getByRole('cell', { name: '採用済み' })
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await page.locator(`tr[data-template-id="${id}"]`).getByText(CODE).waitFor();
    const own = (await w.http('get', `/api/templates/${id}`, '112089-planning', '112089').expect(200)).body;
    expect(own).toMatchObject({ code: CODE, name: '総合計画 半期評価', scaleCode: 'abcd', planId: tokorozawa.planId });
    await w.publish(tokorozawa, id, rows['112089']);
  });

  it('shows the prefecture user its municipalities side by side for the shared template and the period, in era years', async () => {
    await browse('110001');
    await signIn(page, 'ken', 'password', { at: `${base}/#/login`, until: 'menu' });
    await page.getByRole('heading', { name: '市区町村の比較', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['市区町村の比較']);
    await page.getByRole('heading', { name: '総合計画 半期評価 令和6年度 上半期', level: 2 }).waitFor();
    expect(await page.getByLabel('共通テンプレート').inputValue()).toBe(CODE);
    expect(await page.getByLabel('期間').locator('option:checked').innerText()).toBe('令和6年度 上半期');

    const table = page.getByRole('table', { name: /令和6年度 上半期の市区町村ごとのエントリーの承認状況と評価/ });
    const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.trim());
    expect(headers).toEqual(['市区町村', '公表', '承認済み / 全体', 'A 完了', 'B 実施中', 'C 着手', 'D 未着手', '未承認']);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').trim())));
    expect(rows.map((r) => [r[0], r[2], ...r.slice(3)])).toEqual([
      ['所沢市', '4 / 4件(100%)', '2', '0', '1', '1', '0'],
      ['入間市', '2 / 4件(50%)', '1', '1', '0', '0', '2'],
    ]);
    expect(rows.every((r) => /^第1版 令和\d+年\d+月\d+日\(.\)$/.test(r[1]))).toBe(true);
    expect(await page.locator('main').innerText()).not.toContain('千代田区');
    await page.getByRole('link', { name: '所沢市' }).waitFor();
    expect(await page.getByRole('link', { name: '所沢市' }).getAttribute('href')).toBe('https://hyoka.city.tokorozawa.example.jp/public');

    await a11y('prefecture-comparison');
    await screenshot(page, 'prefecture-comparison');
  });
});
