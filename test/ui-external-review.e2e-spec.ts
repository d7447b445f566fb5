import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';
import { staffPageFindings } from './utils/axe';
import { CHECKED_STAFF_PAGES } from '@app/domain';

/**
 * 外部評価 in Chromium: the outside reviewer signs in to 外部評価, reads the accepted entry and
 * writes a 提言; in the next cycle the section finds it on its entry page and answers it with
 * its 対応方針, shown beside the 提言.
 */
describe('web UI (Chromium): outside review', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let templateId: number;
  let firstCycle: number;
  const planning = () => bearer(f.users.planning.token);
  const act = (token: string, id: number, action: string, payload: object) => t.http().post(`/api/entries/${id}/${action}`).set(bearer(token)).send(payload);
  const entryOf = async (cycleId: number) =>
    (await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, f.items[1], f.sections.a]))[0];
  async function openCycle(periodKey: string) {
    const cycle = await t.http().post('/api/cycles').set(planning()).send({ templateId, periodKey }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    return cycle.body.id as number;
  }

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    const reviewer = await userWithToken(t, { login: 'iin-1', roles: ['external_reviewer'], sectionId: null });
    await t.db.query(`UPDATE users SET name = '評価 委員' WHERE id = $1`, [reviewer.id]);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({
        code: 'gaibu-ui',
        name: '事務事業評価',
        planId: f.planId,
        periodType: 'half_year',
        scaleCode: 'progress4',
        approvalOptions: { segregation: true, fallbackApprovers: ['department_head', 'planning'], externalReview: { enabled: true, responseRequired: true } },
      })
      .expect(201);
    templateId = tpl.body.id;
    firstCycle = await openCycle('2026-H1');
    const e = await entryOf(firstCycle);
    let v = (await act(f.users.staffA.token, e.id, 'submit', { version: e.version, rating: '○', progress: '全校で実施した' }).expect(200)).body.version;
    for (const u of [f.users.chiefA, f.users.evaluator, f.users.planning]) v = (await act(u.token, e.id, 'approve', { version: v }).expect(200)).body.version;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  /** The accessibility record's states this suite reaches (CHECKED_STAFF_PAGES with suite ui-external-review): 0 findings each. */
  const checked = new Set<string>();
  async function a11y(id: string) {
    expect(CHECKED_STAFF_PAGES.find((p) => p.id === id)?.suite).toBe('ui-external-review');
    expect({ id, findings: await staffPageFindings(page) }).toEqual({ id, findings: [] });
    checked.add(id);
  }

  const signInAs = (login: string) => signIn(page, login, 'password', { fresh: true, at: `${base}/#/login`, until: 'menu' });

  it('planning assigns the reviewer on the dashboard; the reviewer writes a 提言; next cycle the section answers it beside the 提言 on its entry page', async () => {
    await signInAs('planning');
    await page.goto(`${base}/#/cycles/${firstCycle}`);
    const panel = page.getByRole('region', { name: '外部評価(外部評価委員)' });
    await panel.getByText('割り当てられた委員はいません。').waitFor();
    await panel.getByLabel('割り当てる委員').selectOption({ label: '評価 委員' });
    await panel.getByRole('button', { name: '割り当て' }).click();
    await panel.getByText('外部評価委員を割り当てました。').waitFor();
    await panel.getByText('評価 委員', { exact: true }).waitFor();
    await a11y('cycle-reviewers');

    await signInAs('iin-1');
    await page.getByRole('heading', { name: '外部評価', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'メインメニュー' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['外部評価']);
    const item = page.getByRole('region', { name: '2 小・中学校の給食費無料化' });
    await item.getByText('全校で実施した').waitFor();
    await item.getByLabel('提言').fill('効果を保護者アンケートで検証すること');
    await item.getByRole('button', { name: '提言を保存' }).click();
    await item.getByText('提言を保存しました。').waitFor();
    await a11y('external-review');
    await screenshot(page, 'external-review-reviewer');

    await t.http().post(`/api/cycles/${firstCycle}/actions`).set(planning()).send({ action: 'close' }).expect(409);
    await t.http().post(`/api/cycles/${firstCycle}/actions`).set(planning()).send({ action: 'force_close', reason: '期末' }).expect(200);
    const next = await openCycle('2026-H2');
    const e = await entryOf(next);

    await signInAs('staff-a');
    await page.goto(`${base}/#/entries/${e.id}`);
    const card = page.getByRole('region', { name: '外部評価の提言と対応方針' });
    await card.getByText('効果を保護者アンケートで検証すること').waitFor();
    await card.getByText('提出に必須').waitFor();
    await card.getByLabel(/対応方針/).fill('令和9年度にアンケートを実施し結果を公表する');
    await card.getByRole('button', { name: '対応方針を保存' }).click();
    await card.getByText('対応方針を保存しました。').waitFor();
    await a11y('entry-recommendation');
    await screenshot(page, 'external-review-response');
    const [row] = await t.db.query(`SELECT text FROM recommendation_responses WHERE entry_id = $1`, [e.id]);
    expect(row.text).toBe('令和9年度にアンケートを実施し結果を公表する');

    // Once submitted, the page shows both, read-only.
    const [current] = await t.db.query(`SELECT version FROM entries WHERE id = $1`, [e.id]);
    await act(f.users.staffA.token, e.id, 'submit', { version: current.version, rating: '○', progress: '継続' }).expect(200);
    await page.reload();
    await card.getByText('令和9年度にアンケートを実施し結果を公表する').waitFor();
    expect(await card.getByRole('textbox').count()).toBe(0);
    const history = page.getByRole('region', { name: '更新履歴' });
    await history.getByText('対応方針', { exact: true }).waitFor();
    await history.getByText('提出', { exact: true }).waitFor();

    // The matrix: 提言 in the first half's column, 対応方針 in the second's.
    await signInAs('planning');
    await page.goto(`${base}/#/matrix?template=${templateId}&year=all`);
    // Each note shows its label, with the whole text on hover and for screen readers.
    const recommendation = page.getByTitle('効果を保護者アンケートで検証すること');
    const response = page.getByTitle('令和9年度にアンケートを実施し結果を公表する');
    await recommendation.waitFor();
    await response.waitFor();
    expect((await recommendation.textContent())?.replace(/\s+/g, '')).toBe('提言→:効果を保護者アンケートで検証すること');
    expect((await response.textContent())?.replace(/\s+/g, '')).toBe('対応方針:令和9年度にアンケートを実施し結果を公表する');
    await a11y('matrix-recommendation');
    await screenshot(page, 'external-review-matrix');
    expect([...checked].sort()).toEqual(
      CHECKED_STAFF_PAGES.filter((p) => p.suite === 'ui-external-review')
        .map((p) => p.id)
        .sort(),
    );
  });
});
