import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SeedAppModule, SeedHistoryService, SeedService } from '@app/seed';
import { ACCESSIBILITY_CHECK, CHECKED_PUBLIC_PAGES } from '@app/domain';
import { axeViolations } from './utils/axe';
import { launchChromium, SCREENSHOT_DIR } from './utils/browser';
import { build } from './utils/builder';
import { bearer, loginAs } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * The public site in Chromium over the demo data (the published reports of seeds/): every kind
 * of public page passes axe-core's JIS X 8341-3 AA rules (WCAG 2.1 A/AA) with 0 violations,
 * has lang="ja", one main landmark, scoped table headers, and no CSP violation. The pages of
 * the accessibility statement's list are all visited, so the statement says what was tested.
 */
describe('public site in Chromium: JIS X 8341-3 AA (axe-core) on every public page', () => {
  let t: TestApp;
  let seedApp: INestApplicationContext;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const cspViolations: string[] = [];
  const checked = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestApp({ MUNICIPALITY_NAME: '入間市', MUNICIPALITY_CODE: '112259' });
    seedApp = await NestFactory.createApplicationContext(SeedAppModule.forRoot(t.config), { logger: ['error'] });
    await seedApp.get(SeedService).seed();
    await seedApp.get(SeedHistoryService).seed(undefined, '2026-11-21');
    await addKpi();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    context.on('page', (p) =>
      p.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      }),
    );
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await seedApp?.close();
    await t?.close();
  });

  let kpiItemId: number;
  /**
   * The demo's published reports carry no KPI figures: pledge No.1 gets one (a target per
   * year), its October report (令和5年度) is corrected and published again (第2版), and the open
   * half-year of 令和8年度 is published with its report accepted (the others not reported), so
   * the item page's chart and table span two years.
   */
  async function addKpi() {
    const token = await loginAs(t, 'planning');
    const [item] = await t.db.query(`SELECT i.id FROM plan_items i JOIN plans p ON p.id = i.plan_id WHERE p.code = 'pledges-2023' AND i.number = 1`);
    kpiItemId = item.id;
    const kpi = { id: await build(t).kpi({ itemId: item.id, name: '助成の対象となった児童数', unit: '人', targets: { '2023': 1000, '2026': 1200 } }) };
    const actual = (cycleId: number, value: number) =>
      t.db.query(`UPDATE entries SET kpi_actuals = $3 WHERE cycle_id = $1 AND item_id = $2`, [
        cycleId,
        item.id,
        JSON.stringify([{ kpiId: kpi.id, actual: value }]),
      ]);
    const act = (id: number, action: string, reason?: string) =>
      t
        .http()
        .post(`/api/cycles/${id}/actions`)
        .set(bearer(token))
        .send(reason ? { action, reason } : { action })
        .expect(200);
    const [october] = await t.db.query(
      `SELECT c.id FROM cycles c JOIN cycle_templates ct ON ct.id = c.template_id WHERE ct.code = 'pledge-monthly' AND c.period_key = '2023-10'`,
    );
    await act(october.id, 'reopen', '指標の実績を追加');
    await actual(october.id, 950);
    await act(october.id, 'force_close', '訂正済み');
    await act(october.id, 'publish');
    const [half] = await t.db.query(
      `SELECT c.id FROM cycles c JOIN cycle_templates ct ON ct.id = c.template_id WHERE ct.code = 'pledge-halfyear' AND c.state = 'open'`,
    );
    await actual(half.id, 1250);
    await t.db.query(
      `UPDATE entries SET state = 'accepted', rating = '☆', progress = '対象を高校3年生まで拡大し、助成を開始した。', submitted_at = now(), accepted_at = now() WHERE cycle_id = $1 AND item_id = $2`,
      [half.id, item.id],
    );
    await act(half.id, 'force_close', '期限到来');
    await act(half.id, 'publish');
  }

  /** Opens a public page, checks its landmarks and table headers, runs axe-core, and keeps a screenshot. */
  async function check(path: string, shot: string, status = 200) {
    const res = await page.goto(`${base}${path}`);
    expect([path, res?.status()]).toEqual([path, status]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.locator('h1').count()).toBe(1);
    // Every header cell says what it heads (a column, a row, or a group of them).
    expect(await page.locator('th:not([scope])').count()).toBe(0);
    const violations = await axeViolations(page);
    expect({ path, violations }).toEqual({ path, violations: [] });
    checked.set(path, violations.length);
    await shoot(`public-${shot}`);
  }

  /** A screenshot of the page's top (the longest lists run to tens of thousands of pixels). */
  async function shoot(name: string) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 3200) } });
  }

  it('checks every page of the accessibility statement, and every plan and published cycle', async () => {
    const [statusCycle] = await t.db.query(`SELECT c.id FROM cycles c JOIN cycle_templates t ON t.id = c.template_id WHERE t.code = 'pledge-status-half'`);
    const [plan] = await t.db.query(`SELECT id FROM plans WHERE code = 'pledges-2023'`);
    const ids: Record<string, number> = { planId: plan.id, cycleId: statusCycle.id, itemId: kpiItemId };
    for (const p of CHECKED_PUBLIC_PAGES) {
      const path = p.path.replace(/:(\w+)/g, (_m, k: string) => String(ids[k]));
      await check(path, path.replace(/^\/public\/?/, '').replace(/\//g, '-') || 'index', path === '/public/not-found' ? 404 : 200);
    }
    const cycles: { id: number }[] = await t.db.query(`SELECT DISTINCT cycle_id AS id FROM published_reports WHERE snapshot IS NOT NULL ORDER BY 1`);
    expect(cycles.length).toBeGreaterThanOrEqual(6);
    for (const c of cycles) await check(`/public/cycles/${c.id}`, `cycle-${c.id}`);
    const plans: { id: number }[] = await t.db.query(
      `SELECT DISTINCT (snapshot->'plan'->>'id')::int AS id FROM published_reports WHERE snapshot IS NOT NULL ORDER BY 1`,
    );
    for (const p of plans) await check(`/public/plans/${p.id}`, `plan-${p.id}`);
    // One item of each plan (the first reported one) besides the one with a KPI.
    const items: { id: number }[] = await t.db.query(
      `SELECT DISTINCT ON (i.plan_id) i.id FROM plan_items i JOIN entries e ON e.item_id = i.id AND e.state = 'accepted' ORDER BY i.plan_id, i.number, i.sub_number`,
    );
    for (const i of items) await check(`/public/items/${i.id}`, `item-${i.id}`);
    expect(cspViolations).toEqual([]);
  }, 600_000);

  it('shows the A–D list of 令和5年9月末 with the report’s counts, and the monthly pledges under their fiscal year', async () => {
    const [statusCycle] = await t.db.query(`SELECT c.id FROM cycles c JOIN cycle_templates t ON t.id = c.template_id WHERE t.code = 'pledge-status-half'`);
    await page.goto(`${base}/public/cycles/${statusCycle.id}`);
    const summary = page.getByRole('table', { name: '評価別の項目数' });
    for (const [label, count] of [
      ['A 完了', '37'],
      ['B 実施中', '19'],
      ['C 着手', '4'],
      ['D 未着手', '0'],
    ]) {
      await expect(summary.getByRole('row', { name: new RegExp(`^${label} ${count}$`) }).count()).resolves.toBe(1);
    }
    await expect(page.getByText(/60項目中\d+項目は未報告です|60項目すべてが報告済みです/).count()).resolves.toBe(1);
    await expect(page.getByRole('cell', { name: '1:【デジタル】デジタル未来都市推進部門の設置と特命人材の公募' }).count()).resolves.toBe(1);

    const [plan] = await t.db.query(`SELECT id FROM plans WHERE code = 'pledges-2023'`);
    await page.goto(`${base}/public/plans/${plan.id}`);
    const matrix = page.getByRole('table', { name: '項目別・期間別の評価' });
    await expect(matrix.getByRole('columnheader', { name: '令和5年度' }).count()).resolves.toBe(1);
    await expect(matrix.getByRole('columnheader', { name: /^10月\s*\(令和5年10月\)$/ }).count()).resolves.toBe(1);
    await shoot('public-plan-pledges');
  }, 120_000);

  it('charts a KPI with its figures in a table beside it', async () => {
    await page.goto(`${base}/public/items/${kpiItemId}`);
    await expect(page.getByRole('img', { name: /助成の対象となった児童数の年度別の目標/ }).count()).resolves.toBe(1);
    const table = page.getByRole('table', { name: /助成の対象となった児童数.*の目標と実績/ });
    await expect(table.getByRole('row', { name: '令和5年度 1,000人 950人 95.0%' }).count()).resolves.toBe(1);
    await expect(table.getByRole('row', { name: '令和8年度 1,200人 1,250人 104.2%' }).count()).resolves.toBe(1);
    await shoot('public-item-kpi');
    await expect(page.getByText('第2版 令和', { exact: false }).first().isVisible()).resolves.toBe(true);
  });

  it('lets a keyboard user skip to the content and reach every link, with a visible focus', async () => {
    await page.goto(`${base}/public`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('本文へ移動');
    await expect(page.evaluate(() => getComputedStyle(document.activeElement as Element).left)).resolves.not.toBe('-9999px');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');
    // From the main landmark, the next Tab lands on the first link of the content.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => Boolean(document.activeElement?.closest('main')))).resolves.toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('records in the statement the axe-core version that ran', () => {
    const installed = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'package.json'), 'utf8')).version;
    expect(ACCESSIBILITY_CHECK.toolVersion).toBe(installed);
  });
});
