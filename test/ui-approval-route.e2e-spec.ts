import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * The approval route's options and outcomes in Chromium: the template editor's segregation
 * checkbox and fallback chain, the inbox saying why a step was passed, a forced close's 未承認
 * entries listed on the dashboard and labelled on the entry page.
 */
describe('web UI (Chromium): route options, route notes and the forced close outcome', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let templateId: number;
  let cycleId: number;
  let entryId: number;
  const co: { id: number; token: string }[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    await t.db.query(`UPDATE plan_items SET evaluator_user_id = $1 WHERE id = $2`, [f.users.chiefA.id, f.items[1]]);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'ui-route', name: 'ルート試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    templateId = tpl.body.id;
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId, periodKey: '2026-H1' }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycleId,
      f.items[1],
      f.sections.a,
    ]);
    entryId = row.id;
    // The section's chief, who is also the item's evaluator, writes and submits it.
    await t
      .http()
      .post(`/api/entries/${entryId}/submit`)
      .set(bearer(f.users.chiefA.token))
      .send({ version: row.version, rating: '○', progress: '全校で実施した' })
      .expect(200);
    for (const n of [1, 2, 3]) co.push(await userWithToken(t, { login: `co-${n}`, roles: ['evaluator'], sectionId: null }));
    await t.db.query(`UPDATE users SET name = '合議 ' || login WHERE login LIKE 'co-%'`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('dialog', (d) => void d.accept());
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const signInAs = (login: string) => signIn(page, login, 'password', { fresh: true, at: `${base}/#/login`, until: 'menu' });
  const nav = (name: string) => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name });

  it('the inbox says the chief step was passed and the evaluator step fell to the department head; the entry page too', async () => {
    await signInAs('eval-d1');
    await nav('承認待ち').click();
    await page.getByRole('link', { name: '小・中学校の給食費無料化' }).waitFor();
    await page.getByText('所管課長の承認は作成者本人のため省略').waitFor();
    await page.getByText('評価者が作成に関わったため、部長が評価者の段階を承認します').waitFor();
    await screenshot(page, 'route-notes-inbox');
    await page.getByRole('link', { name: '小・中学校の給食費無料化' }).click();
    await page.getByRole('list', { name: '承認ルートの注記' }).getByText('所管課長の承認は作成者本人のため省略').waitFor();
  });

  it('the template editor sets segregation of duties and the fallback chain', async () => {
    await signInAs('planning');
    await page.goto(`${base}/#/templates/${templateId}`);
    await page.getByRole('heading', { name: 'テンプレートの編集: ルート試験' }).waitFor();
    const sod = page.getByLabel('一人が同じエントリーの二つの段階を承認しない(職務分掌)');
    expect(await sod.isChecked()).toBe(true);
    const fallback = page.getByLabel(/代わりの承認者/);
    expect(await fallback.inputValue()).toBe('department_head,planning');
    await sod.uncheck();
    await fallback.selectOption({ label: '企画担当' });
    await screenshot(page, 'route-options-editor');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText(/テンプレート「ルート試験」を保存しました/).waitFor();
    const [row] = await t.db.query(`SELECT approval_options FROM cycle_templates WHERE id = $1`, [templateId]);
    expect(row.approval_options).toMatchObject({ segregation: false, fallbackApprovers: ['planning'] });
  });

  it('a forced close lists the entries left 未承認, the dashboard counts them and the entry page says so', async () => {
    await page.goto(`${base}/#/cycles/${cycleId}`);
    await page.getByRole('button', { name: '強制締切' }).click();
    const confirm = page.getByRole('form', { name: '強制締切の確認' });
    await confirm.getByText('承認の途中のエントリーは「未承認」として締め切ります。', { exact: false }).waitFor();
    await confirm.getByLabel(/理由/).fill('公表日程のため');
    await confirm.getByRole('button', { name: '強制締切を実行' }).click();
    await page.getByText('未承認: 2 小・中学校の給食費無料化(こども支援課・評価者の確認待ち)', { exact: false }).waitFor();
    await page.getByText(/未承認 1 件/).waitFor();
    await page.getByRole('tab', { name: 'エントリー一覧' }).click();
    await page.getByLabel('状態').selectOption({ label: '未承認' });
    await page.getByRole('tabpanel').getByText('1件', { exact: true }).waitFor();
    await page.getByRole('tabpanel').getByRole('link', { name: '小・中学校の給食費無料化' }).waitFor();
    await screenshot(page, 'forced-close-not-approved');
    await page.getByRole('tabpanel').getByRole('link', { name: '小・中学校の給食費無料化' }).click();
    await page.getByText('承認の途中でサイクルが強制締切されたため未承認です(「評価者」の確認待ちでした)。').waitFor();
    await screenshot(page, 'entry-not-approved');
  });

  it('the template editor makes a 合議 step of three named people; the inbox and the entry page count its approvals', async () => {
    await signInAs('planning');
    await page.goto(`${base}/#/templates/${templateId}`);
    await page.getByRole('heading', { name: 'テンプレートの編集: ルート試験' }).waitFor();
    await page.getByRole('button', { name: '段階を追加' }).click();
    await page.getByLabel('3段階目の承認者').selectOption({ label: '合議' });
    expect(await page.getByLabel('3段階目の表示').inputValue()).toBe('合議');
    await page.getByLabel('3段階目の合議の方法').selectOption({ label: '全員の承認' });
    await page.getByLabel('3段階目の合議の相手').selectOption({ label: '指名した職員' });
    await page.getByLabel('3段階目の合議に加わる職員(複数選択)').getByRole('option', { name: '合議 co-1（所属なし）' }).waitFor({ state: 'attached' });
    await page.getByLabel('3段階目の合議に加わる職員(複数選択)').selectOption(co.map((u) => String(u.id)));
    await screenshot(page, 'co-approval-editor');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText(/テンプレート「ルート試験」を保存しました/).waitFor();
    const [row] = await t.db.query(`SELECT approval_route FROM cycle_templates WHERE id = $1`, [templateId]);
    expect(row.approval_route[2]).toEqual({ kind: 'co_approval', label: '合議', co: { rule: 'all', parties: 'named', userIds: co.map((u) => u.id) } });

    // A new cycle runs the edited route: staff submits, the chief and the evaluator approve, one party of three.
    const planning = bearer(f.users.planning.token);
    const cycle = await t.http().post('/api/cycles').set(planning).send({ templateId, periodKey: '2026-H2' }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(planning).send({ action: 'open' }).expect(200);
    const [e] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycle.body.id,
      f.items[0],
      f.sections.a,
    ]);
    let version = (
      await t
        .http()
        .post(`/api/entries/${e.id}/submit`)
        .set(bearer(f.users.staffA.token))
        .send({ version: e.version, rating: '○', progress: '順調' })
        .expect(200)
    ).body.version;
    version = (await t.http().post(`/api/entries/${e.id}/approve`).set(bearer(f.users.chiefA.token)).send({ version }).expect(200)).body.version;
    version = (await t.http().post(`/api/entries/${e.id}/approve`).set(bearer(f.users.evaluator.token)).send({ version }).expect(200)).body.version;
    await t.http().post(`/api/entries/${e.id}/approve`).set(bearer(co[0].token)).send({ version, comment: '調整済み' }).expect(200);

    await signInAs('co-2');
    await nav('承認待ち').click();
    await page.getByText('合議（1/3 承認済）').waitFor();
    await screenshot(page, 'co-approval-inbox');
    await page.getByRole('link', { name: '18歳までの医療費完全無料化' }).click();
    const parties = page.getByRole('list', { name: '合議の相手' });
    await parties.getByText('合議 co-1: 承認済').waitFor();
    await parties.getByText('合議 co-2: 承認待ち').waitFor();
    await page.getByRole('button', { name: '承認', exact: true }).click();
    await page.getByText('承認しました。').waitFor();
    await page.getByRole('list', { name: '合議の相手' }).getByText('合議 co-2: 承認済').waitFor();
    await page.getByText('合議（2/3 承認済）の確認待ち', { exact: false }).waitFor();
    const history = page.getByRole('region', { name: '更新履歴' });
    await history.getByText('承認（合議）').first().waitFor();
    await history.getByText('調整済み', { exact: false }).waitFor();
    await screenshot(page, 'co-approval-entry');
  });
});
