import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eraYearLabel, fiscalYearOf, tokyoToday } from '@app/domain';
import { createDepartment, createSection, createUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * 計画・項目 in a real browser: planning creates a program evaluation plan, defines its item
 * attributes (with the SDGs list and a per-year budget), creates an item with two KPIs and
 * attribute values, edits it, and imports a file whose bad row is reported in the page. Every
 * step is checked in the database as well as on the page.
 */
describe('web UI (Chromium): plans and items', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let sectionA: number;
  let evaluatorId: number;
  let deptName: string;
  const cspViolations: string[] = [];
  // The editor shows this fiscal year and the next; the test follows the calendar.
  const fy = fiscalYearOf(tokyoToday());
  const [thisYear, nextYear] = [eraYearLabel(fy), eraYearLabel(fy + 1)];

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const dept = await createDepartment(t, { code: 'kodomo', name: 'こども未来部' });
    deptName = 'こども未来部';
    sectionA = await createSection(t, { departmentId: dept, code: 'kodomo-shien', name: 'こども支援課' });
    await createSection(t, { departmentId: dept, code: 'hoiku', name: '保育幼稚園課' });
    await createUser(t, { login: 'planning', name: '企画 太郎', roles: ['planning'] });
    evaluatorId = await createUser(t, { login: 'eval-kodomo', name: '評価 花子', roles: ['evaluator'] });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    context.on('page', (p) =>
      p.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      }),
    );
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const alert = (text: string | RegExp) => page.getByRole('alert').filter({ hasText: text });
  const group = (name: string, root: Page | ReturnType<Page['locator']> = page) => root.getByRole('group', { name, exact: true });

  it('planning creates a plan and defines its item attributes', async () => {
    await signIn(page, 'planning', 'password', { at: `${base}/`, until: 'submitted' });
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '計画・項目' }).click();
    await page.getByRole('heading', { name: '計画の一覧' }).waitFor();

    await page.getByLabel('計画の名称').fill('令和6年度 事務事業評価');
    await page.getByLabel('計画コード(半角英小文字・数字・ハイフン)').fill('jimu-r6');
    await page.getByLabel('種類').selectOption({ label: '事務事業評価' });
    await page.getByRole('button', { name: '計画を作成' }).click();
    await page.getByRole('heading', { name: '令和6年度 事務事業評価', level: 1 }).waitFor();
    await page.getByText('計画「令和6年度 事務事業評価」を作成しました。').waitFor();
    const [plan] = await t.db.query(`SELECT id, kind, item_fields FROM plans WHERE code = 'jimu-r6'`);
    expect(plan).toMatchObject({ kind: 'evaluation', item_fields: [] });

    const add = () => page.getByRole('button', { name: '属性を追加' }).click();
    await add();
    const law = group('属性1');
    await law.getByLabel('表示名').fill('根拠法令');
    await law.getByLabel('キー(半角英数字)').fill('legalBasis');
    await add();
    const budget = group('属性2');
    await budget.getByLabel('表示名').fill('予算額');
    await budget.getByLabel('キー(半角英数字)').fill('1budget');
    await budget.getByLabel('種類').selectOption({ label: '金額(千円)' });
    await budget.getByLabel('単位').fill('千円');
    await budget.getByRole('checkbox', { name: /年度ごとに入力する/ }).check();
    await add();
    const sdgs = group('属性3');
    await sdgs.getByLabel('表示名').fill('SDGs');
    await sdgs.getByLabel('キー(半角英数字)').fill('sdgs');
    await sdgs.getByLabel('種類').selectOption({ label: '複数選択' });
    await sdgs.getByRole('button', { name: 'SDGs(1～17)を入れる' }).click();
    await sdgs.getByLabel('選べる数の上限(空欄は制限なし)').fill('3');
    await page.getByRole('button', { name: 'SDGsを上へ' }).click();

    // A key the api refuses: its Japanese message names the attribute, and nothing is stored.
    await page.getByRole('button', { name: '属性の定義を保存' }).click();
    await alert('項目「予算額」のキー「1budget」は半角英字で始まる').waitFor();
    expect((await t.db.query(`SELECT item_fields FROM plans WHERE id = $1`, [plan.id]))[0].item_fields).toEqual([]);
    await group('属性3').getByLabel('キー(半角英数字)').fill('budget');
    await page.getByRole('button', { name: '属性の定義を保存' }).click();
    await page.getByText('項目の属性を保存しました(3件)。').waitFor();
    const [saved] = await t.db.query(`SELECT item_fields, version FROM plans WHERE id = $1`, [plan.id]);
    expect(saved.item_fields.map((f: { key: string }) => f.key)).toEqual(['legalBasis', 'sdgs', 'budget']);
    expect(saved.item_fields[1]).toMatchObject({ type: 'multi_choice', scope: 'item', maxSelections: 3 });
    expect(saved.item_fields[1].options).toHaveLength(17);
    expect(saved.item_fields[2]).toMatchObject({ type: 'money', unit: '千円', perYear: true });
    await screenshot(page, '30-plan-attributes');
  }, 60_000);

  it('creates an item with two KPIs and attribute values, then edits it keeping the KPI ids', async () => {
    await page.getByRole('link', { name: '項目を追加' }).click();
    await page.getByRole('heading', { name: '項目の追加' }).waitFor();
    await page.getByLabel('番号').fill('1');
    await page.getByLabel('章').fill('第2章 子育て');
    await page.getByLabel('評価者(空欄は部長)').selectOption({ label: '評価 花子(eval-kodomo)' });
    await page.getByRole('button', { name: '所管課を追加' }).click();
    await group('所管課1')
      .getByLabel('課', { exact: true })
      .selectOption({ label: `${deptName} こども支援課` });
    await group('所管課1').getByLabel('この課の実施内容').fill('児童クラブの運営');
    await page.getByRole('button', { name: '指標を追加' }).click();
    const k1 = group('指標1');
    await k1.getByLabel('指標名').fill('待機児童数');
    await k1.getByLabel('単位').fill('人');
    await k1.getByLabel('良い方向').selectOption({ label: '低いほど良い' });
    await k1.getByLabel(`${thisYear}の目標`).fill('１０');
    await k1.getByLabel(`${nextYear}の目標`).fill('5');
    await page.getByRole('button', { name: '指標を追加' }).click();
    const k2 = group('指標2');
    await k2.getByLabel('指標名').fill('運営方針の策定');
    await k2.getByLabel('種類').selectOption({ label: '達成目標(文言)' });
    await k2.getByLabel(`${thisYear}の目標`).fill('策定完了');
    await page.getByLabel('根拠法令').fill('児童福祉法');
    const goals = page.getByRole('group', { name: /^SDGs/ });
    await goals.getByRole('checkbox', { name: '3 すべての人に健康と福祉を' }).check();
    await goals.getByRole('checkbox', { name: '4 質の高い教育をみんなに' }).check();
    await group('予算額').getByLabel(thisYear).fill('１２，３４５');

    // No title yet: the api's message, nothing stored.
    await page.getByRole('button', { name: '項目を作成' }).click();
    await alert('title').waitFor();
    expect(await t.db.query(`SELECT id FROM plan_items`)).toEqual([]);
    await page.getByLabel('名称', { exact: true }).fill('放課後児童クラブ運営事業');
    await page.getByRole('button', { name: '項目を作成' }).click();
    await page.getByText('項目「放課後児童クラブ運営事業」を作成しました。').waitFor();
    await page.getByRole('heading', { name: '1 放課後児童クラブ運営事業' }).waitFor();
    const [item] = await t.db.query(`SELECT id, version, evaluator_user_id, chapter, attributes FROM plan_items`);
    expect(item).toMatchObject({
      version: 1,
      evaluator_user_id: evaluatorId,
      chapter: '第2章 子育て',
      attributes: { legalBasis: '児童福祉法', sdgs: ['3', '4'], budget: { [fy]: 12345 } },
    });
    const kpis = await t.db.query(`SELECT id, name, unit, kind, direction, targets FROM plan_item_kpis WHERE item_id = $1 ORDER BY sort`, [item.id]);
    expect(kpis).toEqual([
      { id: expect.any(Number), name: '待機児童数', unit: '人', kind: 'numeric', direction: 'lower', targets: { [fy]: 10, [fy + 1]: 5 } },
      { id: expect.any(Number), name: '運営方針の策定', unit: '', kind: 'milestone', direction: 'higher', targets: { [fy]: '策定完了' } },
    ]);
    const [section] = await t.db.query(`SELECT section_id, content FROM plan_item_sections WHERE item_id = $1`, [item.id]);
    expect(section).toEqual({ section_id: sectionA, content: '児童クラブの運営' });
    await screenshot(page, '31-item-editor');

    // Edit: a bad budget is refused naming the attribute; then rename a KPI, change targets and choices.
    await group('予算額').getByLabel(nextYear).fill('たくさん');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await alert(`${nextYear}の予算額(budget)は数値で入力してください`).waitFor();
    expect((await t.db.query(`SELECT version FROM plan_items WHERE id = $1`, [item.id]))[0].version).toBe(1);
    await group('予算額').getByLabel(nextYear).fill('13,000');
    await page.getByLabel('名称', { exact: true }).fill('放課後児童クラブ運営事業(拡充)');
    await group('指標1').getByLabel('指標名').fill('待機児童数(4月1日時点)');
    await group('指標1').getByLabel(`${nextYear}の目標`).fill('3');
    await goals.getByRole('checkbox', { name: '4 質の高い教育をみんなに' }).uncheck();
    await goals.getByRole('checkbox', { name: '11 住み続けられるまちづくりを' }).check();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('項目「放課後児童クラブ運営事業(拡充)」を保存しました。').waitFor();
    const [edited] = await t.db.query(`SELECT version, title, attributes FROM plan_items WHERE id = $1`, [item.id]);
    expect(edited).toEqual({
      version: 2,
      title: '放課後児童クラブ運営事業(拡充)',
      attributes: { legalBasis: '児童福祉法', sdgs: ['3', '11'], budget: { [fy]: 12345, [fy + 1]: 13000 } },
    });
    const after = await t.db.query(`SELECT id, name, targets FROM plan_item_kpis WHERE item_id = $1 ORDER BY sort`, [item.id]);
    expect(after).toEqual([
      { id: kpis[0].id, name: '待機児童数(4月1日時点)', targets: { [fy]: 10, [fy + 1]: 3 } },
      { id: kpis[1].id, name: '運営方針の策定', targets: { [fy]: '策定完了' } },
    ]);
    // The page shows the stored values after the save (normalised by the api).
    expect(await group('予算額').getByLabel(nextYear).inputValue()).toBe('13000');
    expect(cspViolations).toEqual([]);
  }, 60_000);

  it('imports a file: a bad row is reported in the page and nothing is stored; the fixed file is imported', async () => {
    await page.getByRole('link', { name: '計画へ戻る' }).click();
    await page.getByRole('heading', { name: '項目(1件)' }).waitFor();
    const header = [
      '番号',
      '名称',
      '所管課',
      '評価者',
      '指標1',
      '指標1の種類',
      `指標1の目標(${thisYear})`,
      '指標2',
      `指標2の目標(${fy})`,
      `予算額(${thisYear})`,
      'SDGs',
    ];
    const file = (rows: string[][]) => ({
      name: 'jimu.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\uFEFF' + [header, ...rows].map((r) => r.join(',')).join('\r\n'), 'utf8'),
    });
    const good = ['2', '地域子育て支援拠点事業', 'こども支援課', 'eval-kodomo', '利用者数', '数値', '１，２００', '満足度', '80', '4500', '3・4'];
    const bad = ['3', '子育て短期支援事業', '存在しない課', 'nobody', '計画策定', '文言', '策定完了', '', '', '多い', '18'];
    await page.getByLabel('取り込むファイル(CSV UTF-8 または Excel .xlsx)').setInputFiles(file([good, bad]));
    await page.getByRole('button', { name: '取り込む', exact: true }).click();
    await alert('1 行に誤りがあるため、取り込みませんでした').waitFor();
    const report = page.getByRole('table', { name: /取り込めなかった行/ });
    await report.waitFor();
    expect(await report.getByRole('columnheader').allInnerTexts()).toEqual(['行', '列', '内容']);
    const cells = await report.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (c) => c.textContent)));
    expect(cells).toEqual([
      ['3', '所管課', '課「存在しない課」が見つかりません'],
      ['3', '評価者', '評価者「nobody」が見つかりません(有効な利用者のログインIDで指定してください)'],
      ['3', 'SDGs', 'SDGs(sdgs)の「18」は選択肢にありません'],
      ['3', `予算額(${thisYear})`, `${thisYear}の予算額(budget)は数値で入力してください`],
    ]);
    expect(await t.db.query(`SELECT number FROM plan_items ORDER BY number`)).toEqual([{ number: 1 }]);
    await screenshot(page, '32-import-errors');

    bad.splice(2, 1, '保育幼稚園課');
    bad.splice(3, 1, '');
    bad.splice(9, 2, '800', '1');
    await page.getByLabel('取り込むファイル(CSV UTF-8 または Excel .xlsx)').setInputFiles(file([good, bad]));
    await page.getByRole('button', { name: '取り込む', exact: true }).click();
    await page.getByText('2件を取り込みました(追加 2件・更新 0件)。').waitFor();
    await page.getByRole('heading', { name: '項目(3件)' }).waitFor();
    await page.getByRole('row', { name: /地域子育て支援拠点事業/ }).waitFor();
    expect(await page.getByRole('table', { name: /取り込めなかった行/ }).count()).toBe(0);
    const rows = await t.db.query(
      `SELECT i.number, i.evaluator_user_id, i.attributes,
              (SELECT json_agg(json_build_object('name', k.name, 'kind', k.kind, 'targets', k.targets) ORDER BY k.sort) FROM plan_item_kpis k WHERE k.item_id = i.id) AS kpis
         FROM plan_items i WHERE i.number > 1 ORDER BY i.number`,
    );
    expect(rows).toEqual([
      {
        number: 2,
        evaluator_user_id: evaluatorId,
        attributes: { budget: { [fy]: 4500 }, sdgs: ['3', '4'] },
        kpis: [
          { name: '利用者数', kind: 'numeric', targets: { [fy]: 1200 } },
          { name: '満足度', kind: 'numeric', targets: { [fy]: 80 } },
        ],
      },
      {
        number: 3,
        evaluator_user_id: null,
        attributes: { budget: { [fy]: 800 }, sdgs: ['1'] },
        kpis: [{ name: '計画策定', kind: 'milestone', targets: { [fy]: '策定完了' } }],
      },
    ]);
    const audits = await t.db.query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'item.%' OR action LIKE 'plan.%' GROUP BY action ORDER BY action`,
    );
    expect(audits).toEqual([
      { action: 'item.create', n: 1 },
      { action: 'item.import.create', n: 2 },
      { action: 'item.update', n: 1 },
      { action: 'plan.create', n: 1 },
      { action: 'plan.import', n: 1 },
      { action: 'plan.update', n: 1 },
    ]);
    await screenshot(page, '33-plan-items');
    expect(cspViolations).toEqual([]);
  }, 60_000);
  it("exports the items to Excel in the import's columns; the downloaded file imported again changes nothing", async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Excelで書き出す' }).click()]);
    expect(download.suggestedFilename()).toBe('jimu-r6_項目一覧.xlsx');
    const path = (await download.path())!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const kpi = (n: number) => [`指標${n}`, `指標${n}の単位`, `指標${n}の種類`, `指標${n}の方向`, `指標${n}の目標(${thisYear})`, `指標${n}の目標(${nextYear})`];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      '番号',
      '枝番',
      '章',
      '分類',
      '名称',
      '内容',
      '目標期日',
      '所管課',
      '評価者',
      '予算額(千円)',
      ...kpi(1),
      ...kpi(2),
      '根拠法令',
      'SDGs',
      `予算額(${thisYear})`,
      `予算額(${nextYear})`,
    ]);
    expect(sheet.rowCount).toBe(4);
    expect((sheet.getRow(2).values as unknown[]).slice(1, 11)).toEqual([
      1,
      undefined,
      '第2章 子育て',
      undefined,
      '放課後児童クラブ運営事業(拡充)',
      undefined,
      undefined,
      'こども支援課',
      'eval-kodomo',
      undefined,
    ]);

    const before = await t.db.query(`SELECT id, version FROM plan_items ORDER BY id`);
    await page.getByLabel('取り込むファイル(CSV UTF-8 または Excel .xlsx)').setInputFiles(path);
    await page.getByRole('button', { name: '取り込む', exact: true }).click();
    await page.getByText('3件を取り込みました(追加 0件・更新 0件・変更なし 3件)。').waitFor();
    expect(await t.db.query(`SELECT id, version FROM plan_items ORDER BY id`)).toEqual(before);
    await screenshot(page, '34-items-export');
    expect(cspViolations).toEqual([]);
  }, 60_000);
});
