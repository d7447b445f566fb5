import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * The web UI in a real browser against the real api: a section chief fills in and submits an
 * entry, the evaluator returns it, the chief fixes and resubmits, the evaluator approves, and
 * the planning division closes the cycle and downloads the Excel export.
 */
describe('web UI (Chromium)', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let base: string;
  let cycleId: number;
  let entryId: number; // item 2 (with a KPI) for section A
  let otherEntryId: number; // item 1 for section A, submitted over HTTP for the bulk approval
  const contexts: BrowserContext[] = [];
  /** What the browser refused under the api's Content-Security-Policy, per test. */
  const cspViolations: string[] = [];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ensureWebBuilt();
    // Five users sign in several times from one address within a minute.
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    const planning = auth(f.users.planning.token);
    // The evaluator is the only step, so the chief (who submits) never approves their own entry.
    const template = await t
      .http()
      .post('/api/templates')
      .set(planning)
      .send({
        code: 'ui-pledge',
        name: '市長公約 月次進捗',
        planId: f.planId,
        periodType: 'monthly',
        scaleCode: 'progress4',
        approvalRoute: [{ kind: 'evaluator', label: '評価者' }],
      })
      .expect(201);
    const today = new Date().toISOString().slice(0, 10);
    const cycle = await t.http().post('/api/cycles').set(planning).send({ templateId: template.body.id, date: today }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning).send({ action: 'open' }).expect(200);
    const mine = (await t.http().get('/api/entries/mine').set(auth(f.users.chiefA.token)).expect(200)).body as {
      id: number;
      itemId: number;
      version: number;
    }[];
    entryId = mine.find((e) => e.itemId === f.items[1])!.id;
    const other = mine.find((e) => e.itemId === f.items[0])!;
    otherEntryId = other.id;
    await t
      .http()
      .post(`/api/entries/${other.id}/submit`)
      .set(auth(f.users.chiefA.token))
      .send({ version: other.version, rating: '○', progress: '対象年齢の拡大に向けて条例改正を準備中' })
      .expect(200);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function open(viewport = { width: 1280, height: 860 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  }

  afterEach(() => {
    expect(cspViolations.splice(0)).toEqual([]);
  });

  const login = (page: Page, loginId: string) => signIn(page, loginId, 'password', { until: 'submitted' });

  it('serves the bundle at / with index.html for other non-api paths, and leaves /api and /health alone', async () => {
    const root = await fetch(`${base}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="root">');
    expect(root.headers.get('cache-control')).toBe('no-cache');
    const deep = await fetch(`${base}/some/deep/link`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const api = await fetch(`${base}/api/no-such-thing`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${base}/api/cycles`)).status).toBe(401);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('renders the API document (Swagger UI) under the Content-Security-Policy', async () => {
    const page = await open();
    const res = await page.goto(`${base}/api/docs`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: /評価サイクル API/ }).waitFor();
    await page.getByText('/api/entries/{id}/approve').first().waitFor();
  });

  it('runs the whole cycle: submit, return, fix, approve, bulk approve, close and export', async () => {
    // --- section chief: a mail deep link leads through the login back to the entry ---
    const chief = await open();
    await chief.goto(`${base}/#/entries/${entryId}`);
    await chief.getByRole('heading', { name: '評価サイクル' }).waitFor();
    expect(chief.url()).toContain('#/login?next=');
    await screenshot(chief, '01-login');
    await login(chief, 'chief-a');
    await chief.getByRole('heading', { name: /小・中学校の給食費無料化/ }).waitFor();
    expect(chief.url()).toMatch(new RegExp(`#/entries/${entryId}$`));
    await chief.getByRole('heading', { name: '前回のエントリー' }).waitFor();

    // The list of my section's entries shows both, with state and deadline.
    await nav(chief, '自課のエントリー').click();
    await chief.getByRole('heading', { name: '自課のエントリー' }).waitFor();
    await chief.getByRole('link', { name: '小・中学校の給食費無料化' }).waitFor();
    await expectText(chief, '.card', '提出期限');
    await screenshot(chief, '02-my-entries');
    await chief.getByRole('link', { name: '小・中学校の給食費無料化' }).click();
    await chief.locator('#field-progress').waitFor();

    // Someone else saves first: the next autosave gets 409, says so and reloads.
    const before = (await t.http().get(`/api/entries/${entryId}`).set(auth(f.users.staffA.token)).expect(200)).body.entry;
    await t
      .http()
      .put(`/api/entries/${entryId}`)
      .set(auth(f.users.staffA.token))
      .send({ version: before.version, progress: '担当者が先に書いた文章' })
      .expect(200);
    await chief.locator('#field-progress').fill('課長の書きかけ');
    await chief.getByRole('alert').filter({ hasText: '他の人がこのエントリーを先に更新した' }).waitFor();
    await expectValue(chief, '#field-progress', '担当者が先に書いた文章');

    // Rating △ needs a reason: the field appears, marked required.
    expect(await chief.locator('#field-reason').count()).toBe(0);
    await chief.getByRole('radio', { name: /△/ }).check();
    expect(await chief.getByRole('radio', { name: /△/ }).isChecked()).toBe(true);
    await chief.locator('#field-reason').waitFor();
    await expectText(chief, '.reason-box', '評価が「△」のため、理由の記入が必要です');
    await chief.locator('#field-progress').fill('4月から市内2校で先行実施。残る学校は調理場の改修待ち。');
    await chief.locator('#field-reason').fill('給食センターの改修工事が資材不足で2か月遅れているため');
    await chief.getByLabel('実施園数').fill('12');
    await chief.getByTestId('save-status').filter({ hasText: '保存済み' }).waitFor();
    await screenshot(chief, '03-entry-form');
    const tablet = await open({ width: 820, height: 1180 });
    await tablet.goto(`${base}/#/login?next=/entries/${entryId}`);
    await login(tablet, 'chief-a');
    await tablet.locator('#field-reason').waitFor();
    await screenshot(tablet, '03b-entry-form-tablet');
    const saved = (await t.http().get(`/api/entries/${entryId}`).set(auth(f.users.chiefA.token)).expect(200)).body.entry;
    expect(saved).toMatchObject({ state: 'draft', rating: '△', kpiActuals: [{ actual: 12 }] });
    expect(saved.reason).toContain('資材不足');

    await chief.getByRole('button', { name: '提出', exact: true }).click();
    await chief.getByText('提出しました。').waitFor();
    await expectText(chief, '.entry-state', '提出済');

    // --- evaluator: inbox grouped by cycle and section, diff, return with comments ---
    const evaluator = await open();
    await evaluator.goto(`${base}/`);
    await login(evaluator, 'eval-d1');
    await evaluator.getByRole('heading', { name: '承認待ち' }).waitFor();
    await evaluator.getByRole('heading', { name: /こども支援課/ }).waitFor();
    await evaluator.getByRole('link', { name: '小・中学校の給食費無料化' }).waitFor();
    await evaluator.getByRole('link', { name: '18歳までの医療費完全無料化' }).waitFor();
    await screenshot(evaluator, '04-inbox');
    await evaluator.getByRole('link', { name: '小・中学校の給食費無料化' }).click();
    await evaluator.getByRole('heading', { name: '評価者の確認' }).waitFor();
    await evaluator.locator('.diff-table').waitFor();
    await expectText(evaluator, '.diff-table', '△ 計画より遅れている');
    await evaluator.getByLabel('差し戻す').check();
    await evaluator.getByRole('button', { name: '差戻し', exact: true }).click();
    await evaluator.getByRole('alert').filter({ hasText: '差戻しの理由を入力してください' }).waitFor();
    await evaluator.getByLabel('差戻しの理由').fill('遅延の見通し(いつ頃完了するか)を追記してください。');
    await evaluator.getByText('項目ごとに指摘する(任意)').click();
    await evaluator.getByLabel('進捗状況への指摘').fill('残りの学校数と実施予定時期を記載してください');
    await screenshot(evaluator, '05-review-return');
    await evaluator.getByRole('button', { name: '差戻し', exact: true }).click();
    await evaluator.getByText('差戻しました。').waitFor();

    // --- chief: the comment is at the top, the field comment beside the field; fix and resubmit ---
    await chief.reload();
    await chief.getByRole('heading', { name: '差戻しコメント' }).waitFor();
    await expectText(chief, '.alert-returned', '遅延の見通し(いつ頃完了するか)を追記してください。');
    await expectText(chief, '#comment-progress', '残りの学校数と実施予定時期を記載してください');
    await screenshot(chief, '06-returned-entry');
    await chief.locator('#field-progress').fill('4月から市内2校で先行実施。残る8校は令和7年1月から実施予定。');
    await chief.getByRole('button', { name: '修正して再提出' }).click();
    await chief.getByText('提出しました。').waitFor();
    await expectText(chief, '.entry-state', '提出済');

    // --- evaluator: approve this one on its page, the other with the bulk checkboxes ---
    await evaluator.reload();
    await evaluator.getByRole('heading', { name: '評価者の確認' }).waitFor();
    await expectText(evaluator, '.diff-table', '変更あり');
    await evaluator.getByRole('button', { name: '承認', exact: true }).click();
    await evaluator.getByText('承認しました。').waitFor();
    await expectText(evaluator, '.entry-state', '承認済');
    await nav(evaluator, '承認待ち').click();
    await evaluator.getByRole('checkbox', { name: /医療費完全無料化を選択/ }).check();
    evaluator.once('dialog', (d) => void d.accept());
    await evaluator.getByRole('button', { name: /一括承認/ }).click();
    await evaluator.getByText('1件を承認しました。').waitFor();
    await evaluator.getByText('承認待ちのエントリーはありません。').waitFor();
    const states = await t.db.query(`SELECT id, state FROM entries WHERE id = ANY($1) ORDER BY id`, [[entryId, otherEntryId]]);
    expect(states.map((r: { state: string }) => r.state)).toEqual(['accepted', 'accepted']);

    // --- planning: cycles, dashboard, close (refused while entries are missing), force close, export ---
    const planning = await open();
    await planning.goto(`${base}/`);
    await login(planning, 'planning');
    await planning.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    await screenshot(planning, '07-cycles');
    await planning.locator(`tr[data-cycle-id="${cycleId}"] a`).click();
    await planning.getByRole('heading', { name: '全体' }).waitFor();
    await expectText(planning, '.stat-row', '承認済み(2/4)');
    await screenshot(planning, '08-completeness');
    await planning.getByRole('tab', { name: '集計' }).click();
    await planning.getByRole('heading', { name: /評価別の件数/ }).waitFor();
    await screenshot(planning, '09-summary');

    await planning.getByRole('button', { name: '締切', exact: true }).click();
    await planning.getByRole('button', { name: '締切を実行' }).click();
    await planning.locator('.confirm-panel .alert-error').waitFor();
    await planning.getByRole('button', { name: '強制締切', exact: true }).click();
    await planning.getByRole('button', { name: '強制締切を実行' }).click();
    await planning.getByText('理由を入力してください').waitFor();
    await planning.getByLabel('理由').fill('期限を過ぎたため未提出分を確定する');
    await planning.getByRole('button', { name: '強制締切を実行' }).click();
    await planning.getByText(/を強制締切しました/).waitFor();
    await expectText(planning, '.page-header', '締切済');
    await planning.getByRole('button', { name: '公表', exact: true }).waitFor();

    const [download] = await Promise.all([planning.waitForEvent('download'), planning.getByRole('button', { name: 'Excel出力' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK');

    await planning.getByRole('tab', { name: 'リマインダー' }).click();
    await planning.getByRole('heading', { name: '送信状況' }).waitFor();
    await screenshot(planning, '10-reminders');
    await nav(planning, '進捗一覧').click();
    await planning.locator('table.matrix').waitFor();
    await expectText(planning, 'table.matrix', '△');
    await expectText(planning, 'table.matrix', '○');
    await screenshot(planning, '11-matrix');
    await nav(planning, 'テンプレート').click();
    await planning.getByRole('heading', { name: 'テンプレートの作成' }).waitFor();
    await screenshot(planning, '12-templates');
  }, 90_000);

  it('sends an expired session back to the login page and returns to the page after login', async () => {
    const page = await open();
    await page.goto(`${base}/`);
    await login(page, 'chief-a');
    await page.getByRole('heading', { name: '自課のエントリー' }).waitFor();
    await page.evaluate(() => localStorage.setItem('hyoka.token', 'expired'));
    await page.goto(`${base}/#/entries/${entryId}`);
    await page.getByLabel('ログインID').waitFor();
    expect(decodeURIComponent(page.url())).toContain(`next=/entries/${entryId}`);
    await login(page, 'chief-a');
    await page.getByRole('heading', { name: /小・中学校の給食費無料化/ }).waitFor();
  }, 30_000);
});

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name });
}

async function expectText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor();
}

async function expectValue(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForFunction(([sel, v]) => (document.querySelector(sel) as HTMLTextAreaElement | null)?.value === v, [selector, value] as const);
}
