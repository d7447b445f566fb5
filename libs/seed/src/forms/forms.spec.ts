import {
  BUILTIN_SCALES,
  evaluateRule,
  FIELD_KEY_PATTERN,
  isShown,
  normaliseForm,
  ruleContext,
  validateFormDefinition,
  validateItemFields,
  validateScale,
  validateSubmitValues,
  type RatingScale,
} from '@app/domain';
import {
  ABC3_SCALE,
  ACTION_PLAN_TEMPLATE,
  DEPARTMENT_GOALS_TEMPLATE,
  PLEDGE_MONTHLY_TEMPLATE,
  PLEDGE_STATUS_TEMPLATE,
  PROGRAM_EVALUATION_TEMPLATE,
  SEED_FORM_PLANS,
  SEED_TEMPLATES,
} from './index';

/** The template code pattern of CreateTemplateDto (libs/cycles). */
const TEMPLATE_CODE = /^[a-z0-9][a-z0-9-]{1,49}$/;
const scaleOf = (code: string): RatingScale => (code === ABC3_SCALE.code ? ABC3_SCALE : BUILTIN_SCALES[code as keyof typeof BUILTIN_SCALES]);
const itemKeysOf = (planCode: string) => new Set((SEED_FORM_PLANS.find((p) => p.code === planCode)?.itemFields ?? []).map((f) => f.key));

describe('the demo forms', () => {
  it.each(SEED_TEMPLATES.map((t) => [t.code, t] as const))('%s is a valid form for its plan and scale', (_code, t) => {
    expect(validateFormDefinition(normaliseForm(t.fields), itemKeysOf(t.planCode))).toEqual([]);
    expect(validateFormDefinition(t.fields, itemKeysOf(t.planCode))).toEqual([]);
    expect(scaleOf(t.scaleCode)).toBeDefined();
    expect(t.code).toMatch(TEMPLATE_CODE);
    expect(t.fields.filter((f) => f.type === 'rating')).toHaveLength(1);
  });

  it.each(SEED_FORM_PLANS.map((p) => [p.code, p] as const))('%s has valid item attributes', (_code, p) => {
    expect(validateItemFields(normaliseForm(p.itemFields))).toEqual([]);
    for (const f of p.itemFields) expect(f.key).toMatch(FIELD_KEY_PATTERN);
  });

  it('one template per kind of report, each with its own code', () => {
    expect(SEED_TEMPLATES.map((t) => `${t.code}:${t.periodType}:${t.scaleCode}:${t.layout}`)).toEqual([
      'pledge-monthly:monthly:progress4:list',
      'pledge-halfyear:half_year:progress4:list',
      'pledge-status-half:half_year:abcd:list',
      'action-plan-yearly:fiscal_year:action4:sheet',
      'department-goals:fiscal_year:goal3:list',
      'program-evaluation:fiscal_year:abc3:sheet',
    ]);
  });

  it('the custom ABC scale is valid and asks a reason for C', () => {
    expect(validateScale(ABC3_SCALE)).toEqual([]);
    expect(ABC3_SCALE.reasonRequiredFor).toEqual(['C']);
  });
});

describe('the rules of the demo forms', () => {
  const errorsOf = (fields = PLEDGE_MONTHLY_TEMPLATE.fields, scale = BUILTIN_SCALES.progress4, values = {}, ctx = {}) =>
    validateSubmitValues(normaliseForm(fields), scale, values, ctx).errors.map((e) => e.field);

  it('pledge progress: 進捗状況 always, 理由 for △ or × or a worse rating', () => {
    expect(errorsOf(undefined, undefined, { rating: '○', progress: '順調' })).toEqual([]);
    expect(errorsOf(undefined, undefined, { rating: '△', progress: '遅れ' })).toEqual(['reason']);
    expect(errorsOf(undefined, undefined, { rating: '○', progress: '順調' }, { previousRating: '☆' })).toEqual(['reason']);
    expect(errorsOf(undefined, undefined, { rating: '☆' })).toEqual(['progress']);
  });

  it('A–D: the reason is shown and asked for D only', () => {
    const fields = PLEDGE_STATUS_TEMPLATE.fields;
    expect(errorsOf(fields, BUILTIN_SCALES.abcd, { rating: 'C', progress: '着手' })).toEqual([]);
    expect(errorsOf(fields, BUILTIN_SCALES.abcd, { rating: 'D', progress: '未着手' })).toEqual(['reason']);
    const reason = normaliseForm(fields).find((f) => f.key === 'reason')!;
    expect(isShown(reason, ruleContext(fields, BUILTIN_SCALES.abcd, { rating: 'B' }))).toBe(false);
  });

  it('action plan: 未着手・中止の理由 shown and required for △ and × only, not for a fall from ◎ to ○', () => {
    const fields = ACTION_PLAN_TEMPLATE.fields;
    const reason = normaliseForm(fields).find((f) => f.key === 'reason')!;
    for (const [rating, needed] of [
      ['◎', false],
      ['○', false],
      ['△', true],
      ['×', true],
    ] as const) {
      const context = ruleContext(fields, BUILTIN_SCALES.action4, { rating }, { previousRating: '◎' });
      expect(isShown(reason, context)).toBe(needed);
      expect(evaluateRule(reason.required, context, false)).toBe(needed);
    }
    expect(errorsOf(fields, BUILTIN_SCALES.action4, { rating: '×', progress: '中止した' })).toEqual(['reason']);
  });

  it('department goals: the result alone for the entry, 総括 once per department', () => {
    const fields = DEPARTMENT_GOALS_TEMPLATE.fields;
    expect(
      normaliseForm(fields)
        .filter((f) => f.scope === 'department')
        .map((f) => f.key),
    ).toEqual(['basicPolicy', 'departmentWork', 'summary']);
    expect(errorsOf(fields, BUILTIN_SCALES.goal3, { rating: '未達成' }, { scopeValues: { summary: '総括' } })).toEqual([]);
    expect(errorsOf(fields, BUILTIN_SCALES.goal3, { rating: '達成' })).toEqual(['summary']);
  });

  it('program evaluation: every KPI actual, the shortfall analysis when one misses (lower is better too), reason and direction', () => {
    const fields = PROGRAM_EVALUATION_TEMPLATE.fields;
    const kpis = [
      { id: 1, name: '事故件数', unit: '件', kind: 'numeric' as const, direction: 'lower' as const, targets: { '2024': 10 } },
      { id: 2, name: '計画の策定', unit: '', kind: 'milestone' as const, direction: 'higher' as const, targets: { '2024': '策定完了' } },
    ];
    const ctx = { kpis, fiscalYear: 2024 };
    const done = { rating: 'A', reason: '目標を達成', values: { direction: '継続' } };
    expect(
      errorsOf(
        fields,
        ABC3_SCALE,
        {
          ...done,
          kpiActuals: [
            { kpiId: 1, actual: 8 },
            { kpiId: 2, actual: '策定完了' },
          ],
        },
        ctx,
      ),
    ).toEqual([]);
    expect(
      errorsOf(
        fields,
        ABC3_SCALE,
        {
          ...done,
          kpiActuals: [
            { kpiId: 1, actual: 12 },
            { kpiId: 2, actual: '策定完了' },
          ],
        },
        ctx,
      ),
    ).toEqual(['shortfallReason']);
    expect(errorsOf(fields, ABC3_SCALE, { ...done, kpiActuals: [{ kpiId: 1, actual: 8 }] }, ctx)).toEqual(['kpiActuals']);
    expect(
      errorsOf(
        fields,
        ABC3_SCALE,
        {
          rating: 'B',
          kpiActuals: [
            { kpiId: 1, actual: 8 },
            { kpiId: 2, actual: '策定完了' },
          ],
        },
        ctx,
      ),
    ).toEqual(['reason', 'direction']);
  });
});
