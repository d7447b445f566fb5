import { BUILTIN_SCALES } from '../scales/rating-scale';
import { displayFieldValue, normaliseFieldValue, parseTypedNumber } from './field-value';
import { DEFAULT_FORM, normaliseForm, validateFormDefinition, validateItemFields } from './form-definition';
import { FormField } from './form-field';
import { conditionsOfRule, evaluateRule, REASON_NEEDED_RULE, ruleOfConditions } from './form-rule';
import { ruleContext, validateDraftValues, validateSubmitValues } from './form-validation';
import { anyKpiShortfall, formatAchievement, kpiAchievement, KpiDefinition } from './kpi';
import { contextOf, RULE_CASES } from './rule-cases.fixture';

const scale = BUILTIN_SCALES.progress4;
const fieldsOf = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('rules (the shared table, also run in Chromium)', () => {
  it.each(RULE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(evaluateRule(c.rule, contextOf(c.context), false)).toBe(c.expected);
  });

  it('conditions round-trip through the stored rule', () => {
    for (const c of RULE_CASES) {
      const conditions = conditionsOfRule(c.rule);
      if (conditions === null) continue;
      expect(ruleOfConditions(conditions)).toEqual(c.rule === true ? true : c.rule);
    }
    expect(conditionsOfRule({ and: [{ var: 'worsened' }] })).toBeNull();
  });
});

describe('form definitions', () => {
  it('reads the legacy field list as the default form', () => {
    expect(DEFAULT_FORM.map((f) => `${f.key}:${f.type}:${f.scope}`)).toEqual([
      'progress:long_text:entry',
      'fiscalGoal:long_text:entry',
      'shortTermPlan:long_text:entry',
      'kpiActuals:kpi_table:entry',
      'reason:long_text:entry',
      'nextSteps:long_text:entry',
    ]);
    expect(DEFAULT_FORM[0].required).toBe(true);
    expect(DEFAULT_FORM[1].required).toBeUndefined();
    expect(DEFAULT_FORM[4].required).toEqual(REASON_NEEDED_RULE);
    expect(validateFormDefinition(DEFAULT_FORM)).toEqual([]);
  });

  it('refuses bad keys, types, options and rules, naming the field', () => {
    const bad = normaliseForm([
      { key: '1x', label: 'a' },
      { key: 'dup', label: 'b', type: 'short_text' },
      { key: 'dup', label: 'c', type: 'short_text' },
      { key: 'choice', label: '方向性', type: 'single_choice', options: [] },
      { key: 'progress', label: '進捗', type: 'number' },
      { key: 'cond', label: '条件', type: 'long_text', required: { var: 'values.nothing' } },
      { key: 'op', label: '演算子', type: 'long_text', visible: { map: [[1], { var: '' }] } },
      { key: 'basis', label: '根拠', type: 'short_text', scope: 'item' },
    ]);
    const errors = validateFormDefinition(bad);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('キー「1x」'),
        '項目「dup」が重複しています',
        '項目「方向性」の選択肢を1つ以上指定してください',
        expect.stringContaining('キー「progress」は種類「long_text」専用'),
        expect.stringContaining('存在しない項目「values.nothing」'),
        expect.stringContaining('演算子「map」'),
        expect.stringContaining('入力単位「item」'),
      ]),
    );
    expect(validateItemFields(normaliseForm([{ key: 'basis', label: '根拠法令', type: 'short_text', scope: 'item' }]))).toEqual([]);
  });
});

describe('field values', () => {
  const num: FormField = { key: 'fte', label: '人工', type: 'number', scope: 'entry', decimals: 2, min: 0 };
  it('normalises full-width digits and commas rather than refusing them', () => {
    expect(parseTypedNumber('１，２３４')).toBe(1234);
    expect(parseTypedNumber(' 1,234.5 ')).toBe(1234.5);
    expect(parseTypedNumber('－３')).toBe(-3);
    expect(parseTypedNumber('12円')).toBeNaN();
    expect(normaliseFieldValue(num, '０．５')).toEqual({ value: 0.5 });
    expect(normaliseFieldValue(num, '0.125')).toEqual({ message: '人工(fte)は小数2桁までで入力してください' });
    expect(normaliseFieldValue(num, '-1')).toEqual({ message: '人工(fte)は0以上で入力してください' });
    expect(normaliseFieldValue({ ...num, type: 'money', decimals: undefined }, '1,200')).toEqual({ value: 1200 });
  });

  it('checks choices and prints dates in era', () => {
    const sdgs: FormField = {
      key: 'sdgs',
      label: 'SDGs',
      type: 'multi_choice',
      scope: 'entry',
      options: [1, 2, 3, 4].map((n) => ({ value: String(n), label: `${n}` })),
      maxSelections: 3,
    };
    expect(normaliseFieldValue(sdgs, ['3', '1'])).toEqual({ value: ['1', '3'] });
    expect(normaliseFieldValue(sdgs, ['1', '2', '3', '4'])).toEqual({ message: 'SDGs(sdgs)は3つまで選択できます' });
    expect(normaliseFieldValue(sdgs, ['9'])).toEqual({ message: 'SDGs(sdgs)の「9」は選択肢にありません' });
    expect(normaliseFieldValue(sdgs, [])).toEqual({ value: null });
    const date: FormField = { key: 'd', label: '完了日', type: 'date', scope: 'entry' };
    expect(normaliseFieldValue(date, '2025-02-30')).toEqual({ message: '完了日(d)は日付(YYYY-MM-DD)で入力してください' });
    expect(displayFieldValue(date, '2019-05-01')).toBe('令和元年5月1日');
    expect(displayFieldValue(date, '2024-10-01')).toBe('令和6年10月1日');
  });
});

describe('KPI achievement', () => {
  const higher: KpiDefinition = { id: 1, name: '参加者数', unit: '人', kind: 'numeric', direction: 'higher', targets: { '2024': 200 } };
  const lower: KpiDefinition = { id: 2, name: '事故件数', unit: '件', kind: 'numeric', direction: 'lower', targets: { '2024': 10 } };
  const milestone: KpiDefinition = { id: 3, name: '計画策定', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '策定完了' } };

  it('higher is better: actual over target', () => {
    expect(kpiAchievement(higher, 2024, 170)).toMatchObject({ rate: 85, achieved: false });
    expect(kpiAchievement(higher, 2024, 240)).toMatchObject({ rate: 120, achieved: true });
    expect(kpiAchievement(higher, 2025, 240)).toMatchObject({ rate: null, achieved: null });
  });

  it('lower is better: target over actual', () => {
    expect(kpiAchievement(lower, 2024, 8)).toMatchObject({ rate: 125, achieved: true });
    expect(kpiAchievement(lower, 2024, 20)).toMatchObject({ rate: 50, achieved: false });
    expect(kpiAchievement(lower, 2024, 0)).toMatchObject({ rate: 100, achieved: true });
  });

  it('a milestone is reached by its wording or by saying it is done', () => {
    expect(kpiAchievement(milestone, 2024, '策定完了')).toMatchObject({ rate: 100, achieved: true });
    expect(kpiAchievement(milestone, 2024, '達成')).toMatchObject({ achieved: true });
    expect(kpiAchievement(milestone, 2024, '素案作成')).toMatchObject({ rate: 0, achieved: false });
    expect(formatAchievement('milestone', kpiAchievement(milestone, 2024, '素案作成'))).toBe('未達成');
    expect(formatAchievement('numeric', kpiAchievement(higher, 2024, 170))).toBe('85.0%');
  });

  it('a shortfall is any KPI with a target that its actual misses', () => {
    expect(
      anyKpiShortfall([higher, lower], 2024, [
        { kpiId: 1, actual: 200 },
        { kpiId: 2, actual: 12 },
      ]),
    ).toBe(true);
    expect(
      anyKpiShortfall([higher, lower], 2024, [
        { kpiId: 1, actual: 200 },
        { kpiId: 2, actual: 3 },
      ]),
    ).toBe(false);
    expect(anyKpiShortfall([higher], 2024, [{ kpiId: 1, actual: null }])).toBe(false);
  });
});

describe('entry validation against a program evaluation form', () => {
  const kpis: KpiDefinition[] = [
    { id: 1, name: '参加者数', unit: '人', kind: 'numeric', direction: 'higher', targets: { '2024': 200 } },
    { id: 2, name: '計画策定', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '策定完了' } },
  ];
  const form = normaliseForm([
    { key: 'kpiActuals', label: '活動指標', required: true },
    {
      key: 'shortfallReason',
      label: '目標値が未達成の理由・分析',
      type: 'long_text',
      required: ruleOfConditions([{ kind: 'kpi_shortfall' }]),
      visible: ruleOfConditions([{ kind: 'kpi_shortfall' }]),
    },
    {
      key: 'direction',
      label: '事業の方向性',
      type: 'single_choice',
      options: [
        { value: '継続', label: '継続' },
        { value: '廃止', label: '廃止' },
      ],
      required: true,
    },
    { key: 'abolishNote', label: '廃止の時期', type: 'short_text', required: ruleOfConditions([{ kind: 'field_equals', key: 'direction', value: '廃止' }]) },
    { key: 'summary', label: '総括', type: 'long_text', scope: 'department', required: true },
    { key: 'reason', label: '理由', required: 'when_reason_needed' },
  ]);
  const ctx = { kpis, fiscalYear: 2024, scopeValues: { summary: '部の総括' } };
  const values = {
    rating: '○',
    kpiActuals: [
      { kpiId: 1, actual: '１７０' as unknown as number },
      { kpiId: 2, actual: '策定完了' },
    ],
    values: { direction: '継続' },
  };

  it('a KPI below target needs the shortfall reason (422 in the API), and the box is shown', () => {
    const result = validateSubmitValues(form, scale, values, ctx);
    expect(result.errors).toEqual([
      { field: 'shortfallReason', message: '指標の実績が目標に達していないため、目標値が未達成の理由・分析(shortfallReason)を入力してください' },
    ]);
    expect(result.values.kpiActuals).toEqual([
      { kpiId: 1, actual: 170 },
      { kpiId: 2, actual: '策定完了' },
    ]);
    const context = ruleContext(form, scale, result.values, ctx);
    expect(context.kpiShortfall).toBe(true);
    expect(evaluateRule(form[1].visible, context, true)).toBe(true);
  });

  it('met targets need no reason; a choice brings its follow-up field; department fields come from the scope', () => {
    const met = {
      ...values,
      kpiActuals: [
        { kpiId: 1, actual: 200 },
        { kpiId: 2, actual: '策定完了' },
      ],
    };
    expect(validateSubmitValues(form, scale, met, ctx).errors).toEqual([]);
    const abolish = { ...met, values: { direction: '廃止' } };
    expect(fieldsOf(validateSubmitValues(form, scale, abolish, ctx).errors)).toEqual(['abolishNote']);
    expect(validateSubmitValues(form, scale, met, { ...ctx, scopeValues: {} }).errors).toEqual([
      { field: 'summary', message: '部の項目総括(summary)を入力してください' },
    ]);
  });

  it('refuses unknown keys, unknown KPIs, a number for nothing, and a missing rating', () => {
    const bad = validateDraftValues(
      form,
      scale,
      {
        kpiActuals: [
          { kpiId: 9, actual: 1 },
          { kpiId: 1, actual: 'abc' },
        ],
        values: { nope: 1 },
      },
      kpis,
    );
    expect(fieldsOf(bad.errors)).toEqual(['nope', 'kpiActuals[0].kpiId', 'kpiActuals[1].actual']);
    expect(fieldsOf(validateSubmitValues(form, scale, { ...values, rating: null }, ctx).errors)).toContain('rating');
  });

  it('a worse rating than last time needs a reason, said so', () => {
    const result = validateSubmitValues(
      form,
      scale,
      {
        ...values,
        rating: '△',
        kpiActuals: [
          { kpiId: 1, actual: 200 },
          { kpiId: 2, actual: '策定完了' },
        ],
      },
      ctx,
    );
    expect(result.errors).toEqual([{ field: 'reason', message: '評価が△の場合は理由(reason)を入力してください' }]);
    const worse = validateSubmitValues(
      form,
      BUILTIN_SCALES.abcd,
      {
        ...values,
        rating: 'B',
        kpiActuals: [
          { kpiId: 1, actual: 200 },
          { kpiId: 2, actual: '策定完了' },
        ],
      },
      { ...ctx, previousRating: 'A' },
    );
    expect(worse.errors).toEqual([{ field: 'reason', message: '評価が前回(A)からBに下がったため、理由(reason)を入力してください' }]);
  });
});
