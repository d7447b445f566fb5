import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { CONDITION_LABELS, DIRECTION_OPTIONS, FORM_LAYOUT_LABELS, SDGS_OPTIONS } from '@app/domain';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * The planning division builds a template's form in a real browser, without writing code:
 * a custom rating scale, a KPI table, a long text required and shown only when a KPI misses
 * its target, choices from the 方向性 and SDGs presets, a department's field. What is stored
 * is checked in the database, down to the JsonLogic of every rule; then the template is
 * edited (a new version, open cycles keep theirs) and mistakes are refused in Japanese.
 */
describe('web UI (Chromium): the no-code form builder', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const cspViolations: string[] = [];
  const planning = () => ({ Authorization: `Bearer ${f.users.planning.token}` });

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    context.on('page', (p) =>
      p.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      }),
    );
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, 'planning', 'password', { at: `${base}/`, until: 'submitted' });
    await page.getByRole('heading', { name: 'サイクル管理' }).waitFor();
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const nav = (name: string) => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name });
  /** The one field editor open at a time. */
  const editor = () => page.getByRole('group', { name: /番目の項目を編集$/ });
  const rule = (scope: Locator, name: '必須' | '表示条件') => scope.getByRole('group', { name, exact: true });
  const sidePanel = () => page.getByRole('complementary', { name: '確認とプレビュー' });

  async function addField(type: string, label: string, key?: string): Promise<Locator> {
    await page.getByLabel('追加する項目の種類').selectOption(type);
    await page.getByRole('button', { name: '項目を追加', exact: true }).click();
    const e = editor();
    await e.getByLabel('表示名', { exact: true }).fill(label);
    if (key) await e.getByLabel('キー(半角英字で始まる英数字・_)').fill(key);
    return e;
  }
  const storedTemplate = async (code: string) =>
    (
      await t.db.query(
        `SELECT id, version, scale_code, layout, period_type, fields, approval_route, submission_offset_days, reminder_schedule FROM cycle_templates WHERE code = $1`,
        [code],
      )
    )[0];

  it('builds a template entirely in the UI, stores the form and its rules exactly, edits it and refuses a duplicate key', async () => {
    await nav('テンプレート').click();
    await page.getByRole('heading', { name: 'テンプレートの作成' }).waitFor();
    await page.getByLabel('名称', { exact: true }).fill('事務事業評価');
    await page.getByLabel('コード(半角英小文字・数字・ハイフン)').fill('ui-jimu');
    await page.getByLabel('周期', { exact: true }).selectOption('fiscal_year');

    // --- a custom A–D scale, made in place; C and D (ordinals 1 and 0) ask for a reason ---
    await page.getByRole('button', { name: '新しい評価尺度を作る' }).click();
    const scalePanel = page.getByRole('group', { name: '新しい評価尺度' });
    await scalePanel.getByLabel('尺度のコード(半角英数字)').fill('ui-jimu4');
    await scalePanel.getByLabel('尺度の名前').fill('事務事業4段階');
    const steps = [
      ['A', '順調'],
      ['B', '概ね順調'],
      ['C', 'やや遅れ'],
      ['D', '遅れ'],
    ];
    for (const [i, [symbol, label]] of steps.entries()) {
      await scalePanel.getByLabel(`段階${i + 1}の記号`).fill(symbol);
      await scalePanel.getByLabel(`段階${i + 1}の説明`).fill(label);
    }
    expect(await scalePanel.getByLabel('段階3は理由が必要').isChecked()).toBe(true);
    expect(await scalePanel.getByLabel('段階2は理由が必要').isChecked()).toBe(false);
    await scalePanel.getByRole('button', { name: '評価尺度を作成' }).click();
    await page.getByText('評価尺度「事務事業4段階」を作成し、このテンプレートの評価尺度にしました。').waitFor();
    expect(await page.getByLabel('評価尺度', { exact: true }).inputValue()).toBe('ui-jimu4');
    const [scale] = await t.db.query(`SELECT options, reason_required_for, builtin FROM rating_scales WHERE code = 'ui-jimu4'`);
    expect(scale).toEqual({
      options: steps.map(([symbol, label], i) => ({ value: symbol, symbol, label, ordinal: 3 - i })),
      reason_required_for: ['C', 'D'],
      builtin: false,
    });

    // --- the six built-in fields are there; two go, the rating comes in on top ---
    await page.getByRole('button', { name: '「年度目標」を削除' }).click();
    await page.getByRole('button', { name: '「計画(短期目標)」を削除' }).click();
    await page.getByLabel('追加する項目の種類').selectOption('builtin:rating');
    await page.getByRole('button', { name: '項目を追加', exact: true }).click();
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: '「評価」を上へ' }).click();

    // The built-in reason keeps its rule: a reason rating (C・D of this scale) or a worse one.
    await page.getByRole('button', { name: '「理由」を編集' }).click();
    const reason = rule(editor(), '必須');
    expect(await reason.getByLabel('次のいずれかのとき必須').isChecked()).toBe(true);
    expect(await reason.getByLabel(`${CONDITION_LABELS.rating_needs_reason}(C・D)`).isChecked()).toBe(true);
    expect(await reason.getByLabel(CONDITION_LABELS.worsened).isChecked()).toBe(true);
    expect(await reason.getByLabel(CONDITION_LABELS.kpi_shortfall).isChecked()).toBe(false);

    // --- a long text required and shown only when a KPI misses its target ---
    await page.getByLabel('追加する項目の種類').selectOption('long_text');
    await page.getByRole('button', { name: '項目を追加', exact: true }).click();
    expect(await editor().getByLabel('キー(半角英字で始まる英数字・_)').inputValue()).toBe('field1');
    await editor().getByLabel('表示名', { exact: true }).fill('目標未達成の理由・分析');
    await editor().getByLabel('キー(半角英字で始まる英数字・_)').fill('shortfallReason');
    await editor().getByLabel('説明(入力欄の下に表示)').fill('指標の実績が目標に届かなかった理由と対策を書いてください。');
    for (const name of ['必須', '表示条件'] as const) {
      const r = rule(editor(), name);
      await r.getByLabel(name === '必須' ? '次のいずれかのとき必須' : '次のいずれかのとき表示').check();
      await r.getByLabel(CONDITION_LABELS.kpi_shortfall).check();
    }

    // --- 今後の方向性 from the preset, always required; SDGs up to three ---
    let e = await addField('single_choice', '今後の方向性', 'direction');
    await e.getByRole('button', { name: '事業の方向性の選択肢を入れる' }).click();
    await rule(e, '必須').getByLabel('常に必須').check();
    e = await addField('multi_choice', '関連するSDGs', 'sdgs');
    await e.getByRole('button', { name: 'SDGs(1~17)の選択肢を入れる' }).click();
    await e.getByLabel('選択できる数(上限)').fill('3');
    expect(await e.getByLabel('選択肢11の表示する文字').inputValue()).toBe('11 住み続けられるまちづくりを');

    // --- the department's policy, written once per cycle ---
    e = await addField('long_text', '部の基本方針', 'deptPolicy');
    await e.getByLabel('入力単位', { exact: true }).selectOption('department');

    // --- required when rated C or D, or when the direction is 廃止 ---
    e = await addField('long_text', '見直しの内容', 'review');
    const review = rule(e, '必須');
    await review.getByLabel('次のいずれかのとき必須').check();
    await review.getByLabel(CONDITION_LABELS.rating_in).check();
    await review.getByLabel('C やや遅れ').check();
    await review.getByLabel('D 遅れ').check();
    await review.getByLabel(CONDITION_LABELS.field_equals).check();
    await review.getByLabel('対象の項目').selectOption('direction');
    await review.getByLabel('値', { exact: true }).selectOption('廃止');

    // --- report layout, route, deadlines, reminders ---
    await page.getByLabel(FORM_LAYOUT_LABELS.sheet).check();
    await page.getByRole('button', { name: '段階を追加' }).click();
    await page.getByLabel('2段階目の表示').fill('部長');
    await page.getByLabel('提出期限(期間終了からの日数)').fill('14');
    await page.getByLabel(/締切の何営業日前に通知するか/).fill('5、2');
    await page.getByLabel(/督促の間隔/).fill('3');

    await sidePanel().getByText('入力項目の設定に問題は見つかりません。').waitFor();
    await sidePanel().getByText('関連するSDGs').waitFor();
    await screenshot(page, '30-form-builder-new');
    await page.getByRole('button', { name: '作成', exact: true }).click();
    await page.getByText('テンプレート「事務事業評価」を作成しました。').waitFor();
    await page.getByRole('heading', { name: 'テンプレートの編集: 事務事業評価' }).waitFor();

    const stored = await storedTemplate('ui-jimu');
    expect(stored).toMatchObject({
      version: 1,
      scale_code: 'ui-jimu4',
      layout: 'sheet',
      period_type: 'fiscal_year',
      submission_offset_days: 14,
      reminder_schedule: { beforeBusinessDays: [5, 2], onDeadline: true, overdueEveryBusinessDays: 3, overdueMaxCount: 5 },
      approval_route: [
        { kind: 'section_chief', label: '所管課長' },
        { kind: 'evaluator', label: '部長' },
        { kind: 'planning', label: '企画担当' },
      ],
    });
    type Stored = { key: string; type: string; scope: string; required?: unknown; visible?: unknown; [k: string]: unknown };
    const fields: Stored[] = stored.fields;
    expect(fields.map((x) => [x.key, x.type, x.scope])).toEqual([
      ['rating', 'rating', 'entry'],
      ['progress', 'long_text', 'entry'],
      ['kpiActuals', 'kpi_table', 'entry'],
      ['reason', 'long_text', 'entry'],
      ['nextSteps', 'long_text', 'entry'],
      ['shortfallReason', 'long_text', 'entry'],
      ['direction', 'single_choice', 'entry'],
      ['sdgs', 'multi_choice', 'entry'],
      ['deptPolicy', 'long_text', 'department'],
      ['review', 'long_text', 'entry'],
    ]);
    const byKey = Object.fromEntries(fields.map((x) => [x.key, x]));
    // Every rule as stored, exactly; fields without a rule store none.
    expect(Object.fromEntries(fields.map((x) => [x.key, { required: x.required, visible: x.visible }]))).toEqual({
      rating: { required: undefined, visible: undefined },
      progress: { required: true, visible: undefined },
      kpiActuals: { required: undefined, visible: undefined },
      reason: { required: { or: [{ var: 'ratingNeedsReason' }, { var: 'worsened' }] }, visible: undefined },
      nextSteps: { required: undefined, visible: undefined },
      shortfallReason: { required: { var: 'kpiShortfall' }, visible: { var: 'kpiShortfall' } },
      direction: { required: true, visible: undefined },
      sdgs: { required: undefined, visible: undefined },
      deptPolicy: { required: undefined, visible: undefined },
      review: { required: { or: [{ in: [{ var: 'rating' }, ['C', 'D']] }, { in: ['廃止', { var: 'values.direction' }] }] }, visible: undefined },
    });
    expect(byKey.shortfallReason).toMatchObject({
      label: '目標未達成の理由・分析',
      help: '指標の実績が目標に届かなかった理由と対策を書いてください。',
      maxLength: 4000,
    });
    expect(byKey.direction.options).toEqual(DIRECTION_OPTIONS);
    expect(byKey.sdgs).toMatchObject({ options: SDGS_OPTIONS, maxSelections: 3 });
    expect(byKey.deptPolicy).toMatchObject({ label: '部の基本方針' });

    // --- cycles: one opened with version 1, one opened before forms, one still draft ---
    const cycle = async (date: string, open: boolean) => {
      const c = await t.http().post('/api/cycles').set(planning()).send({ templateId: stored.id, date }).expect(201);
      if (open) await t.http().post(`/api/cycles/${c.body.id}/actions`).set(planning()).send({ action: 'open' }).expect(200);
      return c.body.id as number;
    };
    const current = await cycle('2024-06-01', true);
    const legacy = await cycle('2023-06-01', true);
    await t.db.query(`UPDATE cycles SET rules = rules - 'templateVersion' WHERE id = $1`, [legacy]);
    const draft = await cycle('2025-06-01', false);
    await page.reload();
    const versions = page.getByRole('region', { name: '版とサイクル' });
    await versions.getByText('第1版').first().waitFor();
    await versions.locator(`tr[data-cycle-id="${current}"]`).getByText('このサイクルはテンプレート第1版で開始').waitFor();
    await versions.locator(`tr[data-cycle-id="${legacy}"]`).getByText(/^旧版/).waitFor();
    await versions
      .locator(`tr[data-cycle-id="${draft}"]`)
      .getByText(/^開始前: 開始したときの版を使います/)
      .waitFor();
    await versions.getByText('編集しても、既に開始したサイクルの入力項目・評価尺度・承認ルートは変わりません。', { exact: false }).waitFor();

    // --- edit: one more field; the template moves to version 2, the open cycle stays on 1 ---
    await addField('short_text', '担当者名', 'contact');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('テンプレート「事務事業評価」を保存しました(第2版)。').waitFor();
    const edited = await storedTemplate('ui-jimu');
    expect(edited.version).toBe(2);
    expect(edited.fields.at(-1)).toEqual({ key: 'contact', label: '担当者名', type: 'short_text', scope: 'entry', maxLength: 200 });
    expect(edited.fields.slice(0, -1)).toEqual(stored.fields);
    const [kept] = await t.db.query(`SELECT rules FROM cycles WHERE id = $1`, [current]);
    expect(kept.rules.templateVersion).toBe(1);
    expect(kept.rules.fields.map((x: Stored) => x.key)).not.toContain('contact');
    await versions.getByText('第2版').first().waitFor();
    await versions.locator(`tr[data-cycle-id="${current}"]`).getByText('このサイクルはテンプレート第1版で開始').waitFor();
    await screenshot(page, '31-form-builder-versions');

    // --- a duplicate key is named before anything is sent ---
    e = await addField('short_text', '重複する項目', 'sdgs');
    await e.getByText('項目「sdgs」が重複しています').waitFor();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const refused = page.getByRole('alert').filter({ hasText: '保存する前に次の点を直してください。' });
    await refused.getByText('項目「sdgs」が重複しています').waitFor();
    await screenshot(page, '32-form-builder-duplicate-key');
    expect((await storedTemplate('ui-jimu')).version).toBe(2);
    await e.getByLabel('キー(半角英字で始まる英数字・_)').fill('sdgsNote');
    await refused.waitFor({ state: 'detached' });
    expect(cspViolations).toEqual([]);
  }, 180_000);

  it('shows a hand-written rule as JSON, names a rule reading a removed item attribute before sending, and reloads when someone saved first', async () => {
    // A rule reading an item attribute the plan had when the template was made, and has no more.
    await t.db.query(`UPDATE plans SET item_fields = $2 WHERE id = $1`, [
      f.planId,
      JSON.stringify([{ key: 'budget', label: '予算', type: 'money', scope: 'item' }]),
    ]);
    const handWritten = { '>': [{ var: 'item.budget' }, 1000] };
    const created = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({
        code: 'ui-json',
        name: '予算連動',
        planId: f.planId,
        periodType: 'half_year',
        scaleCode: 'progress4',
        fields: [
          { key: 'progress', label: '進捗状況', required: 'always' },
          { key: 'memo', label: '補足', type: 'long_text', required: handWritten },
        ],
      })
      .expect(201);
    await t.db.query(`UPDATE plans SET item_fields = '[]' WHERE id = $1`, [f.planId]);

    await page.goto(`${base}/#/templates/${created.body.id}`);
    await page.getByRole('heading', { name: 'テンプレートの編集: 予算連動' }).waitFor();
    await page.getByRole('button', { name: '「補足」を編集' }).click();
    const required = rule(editor(), '必須');
    expect(JSON.parse(await required.getByLabel('必須の条件(JSON)').innerText())).toEqual(handWritten);
    expect(await required.getByRole('radio').count()).toBe(0);

    // The builder reads the plan's attributes: the one that is gone is named before anything is sent.
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const refused = page.getByRole('alert').filter({ hasText: '保存する前に次の点を直してください。' });
    await refused.getByText('項目「補足」の必須条件の条件が存在しない項目「item.budget」を参照しています').waitFor();
    expect((await t.db.query(`SELECT version FROM cycle_templates WHERE id = $1`, [created.body.id]))[0].version).toBe(1);
    await screenshot(page, '33-form-builder-refusal');

    // Meanwhile someone else saves: this save is refused as stale and the page reloads.
    await t.http().patch(`/api/templates/${created.body.id}`).set(planning()).send({ version: 1, name: '予算連動(改)' }).expect(200);
    await required.getByRole('button', { name: 'この条件を作り直す' }).click();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('他の利用者が先にこのテンプレートを更新していたため、最新の内容を読み込み直しました。', { exact: false }).waitFor();
    await page.getByRole('heading', { name: 'テンプレートの編集: 予算連動(改)' }).waitFor();
    await page.getByRole('region', { name: '版とサイクル' }).getByText('第2版').first().waitFor();

    // Replaced again on the fresh copy: saved, the rule is gone.
    await page.getByRole('button', { name: '「補足」を編集' }).click();
    await rule(editor(), '必須').getByRole('button', { name: 'この条件を作り直す' }).click();
    expect(await rule(editor(), '必須').getByLabel('必須にしない').isChecked()).toBe(true);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('テンプレート「予算連動(改)」を保存しました(第3版)。').waitFor();
    const [row] = await t.db.query(`SELECT version, fields FROM cycle_templates WHERE id = $1`, [created.body.id]);
    expect(row.version).toBe(3);
    expect(row.fields[1]).toEqual({ key: 'memo', label: '補足', type: 'long_text', scope: 'entry', maxLength: 4000 });
    expect(cspViolations).toEqual([]);
  }, 120_000);

  it('sets a multi-year period by its span and first fiscal year, shown as era years', async () => {
    await page.goto(`${base}/#/templates`);
    await page.getByRole('heading', { name: 'テンプレートの作成' }).waitFor();
    await page.getByLabel('名称', { exact: true }).fill('総合計画 実施計画');
    await page.getByLabel('コード(半角英小文字・数字・ハイフン)').fill('ui-multi');
    await page.getByLabel('周期', { exact: true }).selectOption('multi_year');
    await page.getByLabel('計画期間の年数').fill('4');
    await page.getByLabel('最初の年度').selectOption({ label: '令和6年度(2024年度)' });
    await page.getByText('最初の期間: 令和6～9年度').waitFor();
    await page.getByRole('button', { name: '作成', exact: true }).click();
    await page.getByText('テンプレート「総合計画 実施計画」を作成しました。').waitFor();
    const [row] = await t.db.query(`SELECT period_type, span_years, first_fiscal_year FROM cycle_templates WHERE code = 'ui-multi'`);
    expect(row).toEqual({ period_type: 'multi_year', span_years: 4, first_fiscal_year: 2024 });
  }, 60_000);
});
