import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONDITION_LABELS } from '@app/domain';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * The whole life of a form made in the UI: the planning division builds a template (a custom
 * scale, the KPI table, an analysis required only when a KPI misses its target, a
 * department's field), creates and opens its cycle from the dashboard; a section chief fills
 * the entry (the analysis appears as the actual is typed) and the department's field; the
 * evaluator approves; planning downloads the Excel export, whose header row is exactly the
 * defined columns and whose row holds what was typed, the achievement computed.
 */
describe('web UI (Chromium): a form built in the UI, run to its export', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let base: string;
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
    // The item's KPI target for 令和6年度 (items are edited on the 計画・項目 page: test/ui-plans).
    const item = (await t.http().get(`/api/items/${f.items[1]}`).set(bearer(f.users.planning.token)).expect(200)).body;
    await t
      .http()
      .patch(`/api/items/${f.items[1]}`)
      .set(bearer(f.users.planning.token))
      .send({ version: item.version, kpis: [{ id: kpiId, name: '実施園数', unit: '園', targets: { '2024': 20 } }] })
      .expect(200);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });
  afterEach(() => expect(cspViolations.splice(0)).toEqual([]));

  async function signInAs(login: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    // Signed in (the app goes to its start page) before the test navigates anywhere.
    await signIn(page, login, 'password', { at: `${base}/` });
    return page;
  }

  it('builds, opens, fills, approves and exports; the XLSX has exactly the defined columns', async () => {
    // --- planning builds the template ---
    const planning = await signInAs('planning');
    await planning.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    const nav = (name: string) => planning.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name });
    await nav('テンプレート').click();
    await planning.getByRole('heading', { name: 'テンプレートの作成' }).waitFor();
    await planning.getByLabel('名称', { exact: true }).fill('保育事業評価');
    await planning.getByLabel('コード(半角英小文字・数字・ハイフン)').fill('ui-journey');
    await planning.getByLabel('周期', { exact: true }).selectOption('fiscal_year');
    await planning.getByRole('button', { name: '新しい評価尺度を作る' }).click();
    const scalePanel = planning.getByRole('group', { name: '新しい評価尺度' });
    await scalePanel.getByLabel('尺度のコード(半角英数字)').fill('journey3');
    await scalePanel.getByLabel('尺度の名前').fill('3段階評価');
    for (const [i, [symbol, label]] of [
      ['良', '順調'],
      ['可', '概ね順調'],
      ['否', '遅れ'],
    ].entries()) {
      await scalePanel.getByLabel(`段階${i + 1}の記号`).fill(symbol);
      await scalePanel.getByLabel(`段階${i + 1}の説明`).fill(label);
    }
    // A fourth step is offered for a new scale; a three-step scale leaves it out.
    const fourth = scalePanel.getByRole('button', { name: '段階4を削除' });
    if (await fourth.count()) await fourth.click();
    await scalePanel.getByRole('button', { name: '評価尺度を作成' }).click();
    await planning.getByText('評価尺度「3段階評価」を作成し、このテンプレートの評価尺度にしました。').waitFor();

    for (const label of ['年度目標', '計画(短期目標)', '今後の取組']) await planning.getByRole('button', { name: `「${label}」を削除` }).click();
    const editor = () => planning.getByRole('group', { name: /番目の項目を編集$/ });
    await planning.getByLabel('追加する項目の種類').selectOption('long_text');
    await planning.getByRole('button', { name: '項目を追加', exact: true }).click();
    await editor().getByLabel('表示名', { exact: true }).fill('目標未達成の理由・分析');
    await editor().getByLabel('キー(半角英字で始まる英数字・_)').fill('shortfallReason');
    for (const name of ['必須', '表示条件'] as const) {
      const r = editor().getByRole('group', { name, exact: true });
      await r.getByLabel(name === '必須' ? '次のいずれかのとき必須' : '次のいずれかのとき表示').check();
      await r.getByLabel(CONDITION_LABELS.kpi_shortfall).check();
    }
    await planning.getByLabel('追加する項目の種類').selectOption('long_text');
    await planning.getByRole('button', { name: '項目を追加', exact: true }).click();
    await editor().getByLabel('表示名', { exact: true }).fill('部の基本方針');
    await editor().getByLabel('キー(半角英字で始まる英数字・_)').fill('deptPolicy');
    await editor().getByLabel('入力単位', { exact: true }).selectOption('department');
    await planning.getByRole('button', { name: '作成', exact: true }).click();
    await planning.getByText('テンプレート「保育事業評価」を作成しました。').waitFor();
    const [template] = await t.db.query(`SELECT id, fields FROM cycle_templates WHERE code = 'ui-journey'`);
    const keys = (template.fields as { key: string }[]).map((x) => x.key);
    expect(keys).toEqual(['progress', 'kpiActuals', 'reason', 'shortfallReason', 'deptPolicy']);

    // --- the 令和6年度 cycle, created and opened from the dashboard ---
    await nav('サイクル管理').click();
    await planning.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    await planning.getByLabel('テンプレート').selectOption({ label: '保育事業評価' });
    await planning.getByLabel('対象期間に含まれる日').fill('2024-06-01');
    await planning.getByRole('button', { name: '作成', exact: true }).click();
    await planning.getByText(/を作成しました\(準備中\)/).waitFor();
    const [cycle] = await t.db.query(`SELECT id FROM cycles WHERE template_id = $1`, [template.id]);
    await planning.locator(`tr[data-cycle-id="${cycle.id}"] a`).click();
    await planning.getByRole('button', { name: '開始', exact: true }).click();
    await planning.getByRole('button', { name: '開始を実行' }).click();
    await planning.getByText(/を開始しました/).waitFor();

    // --- the chief fills the entry of item 2 and the department's field ---
    const [entry] = await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycle.id, f.items[1], f.sections.a]);
    const chief = await signInAs('chief-a');
    await chief.goto(`${base}/#/entries/${entry.id}`);
    await chief.getByRole('heading', { name: /小・中学校の給食費無料化/ }).waitFor();
    const panel = chief.locator('[data-scope="department"]');
    await panel.getByLabel('部の基本方針').fill('保育の質と量を両立する');
    await panel.getByRole('button', { name: '部の項目を保存' }).click();
    await panel.getByText('部の項目を保存しました').waitFor();
    await chief.locator('[data-rating="可"]').click();
    await chief.locator('#field-progress').fill('5園で実施、残りは来年度');
    expect(await chief.locator('#field-shortfallReason').count()).toBe(0);
    await chief.getByLabel('実施園数 令和6年度実績').fill('１６');
    await chief.locator('#field-shortfallReason').fill('保育士の確保が遅れた');
    await chief.getByRole('button', { name: '提出' }).click();
    await chief.getByText('提出しました').waitFor();

    // --- the evaluator approves it (the chief's own step is given by authorship) ---
    const evaluator = await signInAs('eval-d1');
    await evaluator.goto(`${base}/#/entries/${entry.id}`);
    await evaluator.getByRole('heading', { name: '評価者の確認' }).waitFor();
    await evaluator.getByRole('button', { name: '承認', exact: true }).click();
    await evaluator.getByText('承認しました。').waitFor();
    const [approved] = await t.db.query(`SELECT state FROM entries WHERE id = $1`, [entry.id]);
    expect(approved.state).toBe('accepted');

    // --- planning downloads the Excel export ---
    await planning.reload();
    const [download] = await Promise.all([planning.waitForEvent('download'), planning.getByRole('button', { name: 'Excel出力' }).click()]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
    const header = row(1);
    expect(header).toEqual([
      '番号',
      '項目',
      '所管課',
      '評価',
      '進捗状況',
      '指標1 名称',
      '指標1 目標(令和6年度)',
      '指標1 実績',
      '指標1 達成率',
      '理由',
      '目標未達成の理由・分析',
      '部長名',
      '部の基本方針',
      '評価者',
      '承認者',
      '状態',
      '提出日',
      '承認日',
    ]);
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => row(i + 2));
    const mine = rows.find((r) => r[1] === '小・中学校の給食費無料化' && r[2] === 'こども支援課')!;
    const cell = (h: string) => mine[header.indexOf(h)];
    expect(cell('評価')).toBe('可');
    expect(cell('指標1 名称')).toBe('実施園数');
    expect(cell('指標1 実績')).toContain('16');
    expect(cell('指標1 達成率')).toBe('80.0%');
    expect(cell('目標未達成の理由・分析')).toBe('保育士の確保が遅れた');
    expect(cell('部の基本方針')).toBe('保育の質と量を両立する');
    expect(cell('部長名')).toBe('eval-d1');
    expect(cell('承認者')).toContain('eval-d1');
    // The department's field is on every entry of the department, submitted or not.
    for (const r of rows) expect(r[header.indexOf('部の基本方針')]).toBe('保育の質と量を両立する');
    await screenshot(planning, '40-journey-dashboard');
  }, 180_000);
});
