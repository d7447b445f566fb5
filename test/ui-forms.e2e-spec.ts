import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * A configurable form in Chromium: the analysis box of a program evaluation appears as soon as
 * a KPI actual below its target is typed (before any save) and goes when the target is met;
 * the API refuses the submit without it; a department field entered once in its panel shows on
 * another section's entry; custom fields are stored as typed values in the database.
 */
describe('web UI: an entry form laid out from its definition (Chromium)', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let base: string;
  let cycleId: number;
  let kpiId: number;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    kpiId = (await t.db.query(`SELECT id FROM plan_item_kpis WHERE item_id = $1`, [f.items[1]]))[0].id;
    await t.db.query(`UPDATE plan_item_kpis SET targets = '{"2024": 20}' WHERE id = $1`, [kpiId]);
    const planning = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning)
      .send({
        code: 'ui-program',
        name: '事務事業評価',
        planId: f.planId,
        periodType: 'fiscal_year',
        scaleCode: 'abcd',
        layout: 'sheet',
        approvalRoute: [{ kind: 'evaluator', label: '評価者' }],
        fields: [
          { key: 'policy', label: '基本方針', type: 'long_text', scope: 'department', required: true },
          { key: 'kpiActuals', label: '成果指標', type: 'kpi_table', required: true },
          {
            key: 'shortfallReason',
            label: '目標値が未達成の理由・分析',
            type: 'long_text',
            required: { var: 'kpiShortfall' },
            visible: { var: 'kpiShortfall' },
          },
          { key: 'rating', label: '総合評価', type: 'rating' },
          {
            key: 'direction',
            label: '事業の方向性',
            type: 'single_choice',
            required: true,
            options: ['拡充', '継続', '縮小', '廃止'].map((v) => ({ value: v, label: v })),
          },
          { key: 'budgetUsed', label: '執行額', type: 'money' },
        ],
      })
      .expect(201);
    // Last year's cycle, where the section reported 12 園: the form shows it as 前回実績.
    const lastYear = (await t.http().post('/api/cycles').set(planning).send({ templateId: tpl.body.id, periodKey: 'FY2023' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${lastYear}/actions`).set(planning).send({ action: 'open' }).expect(200);
    const [old] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      lastYear,
      f.items[1],
      f.sections.a,
    ]);
    await t
      .http()
      .put(`/api/entries/${old.id}`)
      .set(bearer(f.users.chiefA.token))
      .send({ version: old.version, kpiActuals: [{ kpiId, actual: 12 }] })
      .expect(200);
    cycleId = (await t.http().post('/api/cycles').set(planning).send({ templateId: tpl.body.id, periodKey: 'FY2024' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning).send({ action: 'open' }).expect(200);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });
  afterEach(() => expect(cspViolations.splice(0)).toEqual([]));

  async function signedIn(login: string, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await signIn(page, login, 'password', { at: `${base}/#${path}`, until: 'submitted' });
    return page;
  }

  const entryId = async (item: number, section: number) =>
    (await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, item, section]))[0].id as number;

  it('shows the analysis box as soon as a KPI misses its target, and submits only with it', async () => {
    const id = await entryId(f.items[1], f.sections.a);
    const page = await signedIn('chief-a', `/entries/${id}`);
    await page.getByRole('heading', { name: /小・中学校の給食費無料化/ }).waitFor();
    const box = page.locator('#field-shortfallReason');
    const rate = page.getByTestId(`kpi-rate-${kpiId}`);
    expect(await box.count()).toBe(0);
    // The table shows the cycle's fiscal year in era, and last cycle's actual beside it.
    await page.getByRole('columnheader', { name: '令和6年度目標' }).waitFor();
    expect(await page.getByTestId(`kpi-previous-${kpiId}`).textContent()).toBe('12園');

    await page.getByLabel('実施園数 令和6年度実績').fill('１５');
    await box.waitFor();
    await page.getByText('指標の実績が目標に達していないため、目標値が未達成の理由・分析の記入が必要です').waitFor();
    expect(await rate.textContent()).toBe('75.0%目標未達');
    await page.getByLabel('実施園数 令和6年度実績').fill('25');
    await box.waitFor({ state: 'detached' });
    expect(await rate.textContent()).toBe('125.0%');
    await page.getByLabel('実施園数 令和6年度実績').fill('15');
    await box.waitFor();

    // Submitting without the analysis (and without the department's 基本方針): the API says what is missing.
    await page.locator('[data-rating="B"]').click();
    await page.getByRole('radio', { name: '継続' }).check();
    await page.getByLabel('執行額').fill('1,200');
    await page.getByRole('button', { name: '提出' }).click();
    await page.getByText(/提出できません。入力内容を確認してください: .*目標値が未達成の理由・分析\(shortfallReason\)を入力してください/).waitFor();
    await page.locator('#error-shortfallReason').waitFor();
    const [draft] = await t.db.query(`SELECT state FROM entries WHERE id = $1`, [id]);
    expect(draft.state).not.toBe('submitted');

    // The department's field, in its own panel, once for the department.
    const panel = page.locator('[data-scope="department"]');
    await panel.getByRole('heading', { name: '部の項目(こども未来部)' }).waitFor();
    await panel.getByText('部長 eval-d1').waitFor();
    await panel.getByLabel('基本方針').fill('子育て世帯の負担を減らし、誰一人取り残さない');
    await panel.getByRole('button', { name: '部の項目を保存' }).click();
    await panel.getByText('部の項目を保存しました').waitFor();

    await box.fill('募集期間が短く、参加園が目標に届かなかった');
    await page.getByRole('button', { name: '提出' }).click();
    await page.getByText('提出しました').waitFor();
    const [row] = await t.db.query(`SELECT state, rating, kpi_actuals, "values" FROM entries WHERE id = $1`, [id]);
    expect(row).toEqual({
      state: 'submitted',
      rating: 'B',
      kpi_actuals: [{ kpiId, actual: 15 }],
      values: { direction: '継続', budgetUsed: 1200, shortfallReason: '募集期間が短く、参加園が目標に届かなかった' },
    });
    await screenshot(page, '30-program-evaluation-submitted');
  });

  it('submits what was typed when the reload after a department save comes back after the form has saved', async () => {
    // The order a busy server produced in CI: the panel's reload left before the form's save and
    // came back after it. The form must not take that older version and older values back.
    const id = await entryId(f.items[0], f.sections.a);
    const page = await signedIn('chief-a', `/entries/${id}`);
    await page.getByRole('heading', { name: /18歳までの医療費完全無料化/ }).waitFor();
    let putReached!: () => void;
    const putAtServer = new Promise<void>((resolve) => (putReached = resolve));
    let staleDelivered!: () => void;
    const staleBack = new Promise<void>((resolve) => (staleDelivered = resolve));
    let holdNextGet = false;
    await page.route(`**/api/entries/${id}`, async (route) => {
      const method = route.request().method();
      if (method === 'GET' && holdNextGet) {
        holdNextGet = false;
        const response = await route.fetch();
        await putAtServer;
        await route.fulfill({ response });
        staleDelivered();
      } else if (method === 'PUT') {
        const response = await route.fetch();
        putReached();
        await Promise.race([staleBack, new Promise((r) => setTimeout(r, 5_000))]);
        await route.fulfill({ response });
      } else await route.continue();
    });
    const panel = page.locator('[data-scope="department"]');
    await panel.getByLabel('基本方針').fill('子育て世帯の負担を減らし、誰一人取り残さない');
    holdNextGet = true;
    await panel.getByRole('button', { name: '部の項目を保存' }).click();
    await panel.getByText('部の項目を保存しました').waitFor();
    await page.locator('[data-rating="A"]').click();
    await page.getByRole('radio', { name: '拡充' }).check();
    await page.getByRole('button', { name: '提出' }).click();
    await page.getByText('提出しました').waitFor();
    const [row] = await t.db.query(`SELECT state, rating, "values"->>'direction' AS direction FROM entries WHERE id = $1`, [id]);
    expect(row).toEqual({ state: 'submitted', rating: 'A', direction: '拡充' });
    expect(await page.getByText('他の人がこのエントリーを先に更新したため').count()).toBe(0);
  });

  it("shows the department's field on another section's entry of the department", async () => {
    const id = await entryId(f.items[0], f.sections.b);
    const page = await signedIn('chief-b', `/entries/${id}`);
    const panel = page.locator('[data-scope="department"]');
    await panel.getByRole('heading', { name: '部の項目(こども未来部)' }).waitFor();
    expect(await panel.getByLabel('基本方針').inputValue()).toBe('子育て世帯の負担を減らし、誰一人取り残さない');
    // Item 1 has no KPI: the table and the analysis box are not offered.
    expect(await page.locator('[data-field="kpiActuals"]').count()).toBe(0);
    expect(await page.locator('#field-shortfallReason').count()).toBe(0);
    await screenshot(page, '31-program-evaluation-department-field');
  });
});
