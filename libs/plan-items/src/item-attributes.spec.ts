import { normaliseForm, SDGS_OPTIONS } from '@app/domain';
import { applyAttributeChanges, splitAttributes, storedValueProblems } from './item-attributes';
import { normaliseTargets } from './item-kpis';

const fields = normaliseForm([
  { key: 'law', label: '根拠法令', type: 'short_text', scope: 'item' },
  { key: 'budget', label: '予算額', type: 'money', scope: 'item', perYear: true },
  { key: 'sdgs', label: 'SDGs', type: 'multi_choice', scope: 'item', options: SDGS_OPTIONS, maxSelections: 3 },
]);

describe('item attributes', () => {
  it('normalises typed values, keeps keys left out and clears nulls', () => {
    const stored = { law: '旧法', sdgs: ['1'], old: 'kept' };
    const { attributes, errors } = applyAttributeChanges(fields, stored, { budget: { '2024': '１，２００', '2025': '' }, sdgs: null });
    expect(errors).toEqual([]);
    expect(attributes).toEqual({ law: '旧法', old: 'kept', budget: { '2024': 1200 } });
  });

  it('names the field of bad values and unknown keys', () => {
    const { errors } = applyAttributeChanges(fields, {}, { budget: { '2024': 'abc', '24': 1 }, sdgs: ['1', '2', '3', '4'], nope: 1 });
    expect(errors).toEqual([
      { field: 'attributes.budget.2024', message: '令和6年度の予算額(budget)は数値で入力してください' },
      { field: 'attributes.budget.24', message: '予算額(budget)の「24」: 年度は西暦4桁(1989～2200、例: 2024)で指定してください' },
      { field: 'attributes.sdgs', message: 'SDGs(sdgs)は3つまで選択できます' },
      { field: 'attributes.nope', message: '属性「nope」はこの計画に定義されていません' },
    ]);
    expect(applyAttributeChanges(fields, {}, 'x').errors[0].field).toBe('attributes');
  });

  it('merges per-year values for the importer', () => {
    const { attributes } = applyAttributeChanges(
      fields,
      { budget: { '2023': 900, '2024': 1000 } },
      { budget: { '2024': '1100', '2025': null } },
      { mergeYears: true },
    );
    expect(attributes).toEqual({ budget: { '2023': 900, '2024': 1100 } });
  });

  it('splits defined and retired keys, and finds stored values a new definition refuses', () => {
    expect(splitAttributes(fields, { old: 1, law: 'x' })).toEqual({ attributes: { law: 'x' }, retiredAttributes: { old: 1 } });
    const narrower = normaliseForm([
      { key: 'budget', label: '予算額', type: 'money', scope: 'item' },
      { key: 'law', label: '根拠法令', type: 'short_text', scope: 'item', maxLength: 2 },
    ]);
    expect(storedValueProblems(narrower, { budget: { '2024': 1 }, law: '地方自治法' })).toEqual([
      '予算額(budget)には年度ごとの値が保存されています',
      '根拠法令(law)は2文字以内で入力してください(現在5文字)',
    ]);
  });

  it('normalises KPI targets by kind', () => {
    expect(normaliseTargets('numeric', { '2024': '１，０００', '2025': '', '2026': 3 }, 't')).toEqual({ targets: { '2024': 1000, '2026': 3 }, errors: [] });
    expect(normaliseTargets('milestone', { '2024': ' 策定完了 ' }, 't')).toEqual({ targets: { '2024': '策定完了' }, errors: [] });
    expect(normaliseTargets('numeric', { '2024': '策定', x: 1 }, 't').errors.map((e) => e.field)).toEqual(['t.2024', 't.x']);
  });
});
