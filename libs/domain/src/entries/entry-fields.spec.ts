import { BUILTIN_SCALES } from '../scales/rating-scale';
import {
  DEFAULT_ENTRY_FIELDS,
  EntryFieldRule,
  EntryValues,
  validateDraft,
  validateFieldRules,
  validateForSubmit,
} from './entry-fields';

const scale = BUILTIN_SCALES.progress4;
const fields = DEFAULT_ENTRY_FIELDS;
const fieldsOf = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('DEFAULT_ENTRY_FIELDS', () => {
  it('has the six fields with Japanese labels', () => {
    expect(fields.map((f) => `${f.key}:${f.label}`)).toEqual([
      'progress:進捗状況',
      'fiscalGoal:年度目標',
      'shortTermPlan:計画(短期目標)',
      'kpiActuals:指標実績',
      'reason:理由',
      'nextSteps:今後の取組',
    ]);
    expect(fields.find((f) => f.key === 'reason')?.required).toBe('when_reason_needed');
    expect(validateFieldRules(fields)).toEqual([]);
  });

  it('validateFieldRules catches unknown, duplicate, bad maxLength', () => {
    const bad = [
      { key: 'foo', label: 'x', required: 'never' },
      { key: 'progress', label: 'a', required: 'always' },
      { key: 'progress', label: 'b', required: 'sometimes', maxLength: 0 },
    ] as unknown as EntryFieldRule[];
    expect(validateFieldRules(bad)).toHaveLength(4);
  });
});

describe('validateDraft', () => {
  it('accepts an empty draft and a partial one', () => {
    expect(validateDraft(fields, scale, {})).toEqual([]);
    expect(validateDraft(fields, scale, { rating: '○', progress: '順調', kpiActuals: [{ kpiId: 1, actual: null }] })).toEqual(
      [],
    );
  });

  it('rejects a rating not in the scale', () => {
    const errors = validateDraft(fields, scale, { rating: 'A' });
    expect(fieldsOf(errors)).toEqual(['rating']);
    expect(errors[0].message).toContain('☆・○・△・×');
    expect(fieldsOf(validateDraft(fields, scale, { rating: '' }))).toEqual(['rating']);
  });

  it('enforces maxLength in characters', () => {
    const custom: EntryFieldRule[] = [{ key: 'progress', label: '進捗状況', required: 'always', maxLength: 5 }];
    expect(validateDraft(custom, scale, { progress: '進捗は順調' })).toEqual([]);
    const errors = validateDraft(custom, scale, { progress: '進捗は順調だ' });
    expect(fieldsOf(errors)).toEqual(['progress']);
    expect(errors[0].message).toContain('5文字以内');
    expect(validateDraft(custom, scale, { progress: '𠮷𠮷𠮷𠮷𠮷' })).toEqual([]); // surrogate pairs count once
  });

  it('rejects NUL in any text', () => {
    for (const key of ['progress', 'fiscalGoal', 'shortTermPlan', 'reason', 'nextSteps'] as const) {
      const values: EntryValues = { [key]: 'a\u0000b' };
      expect(fieldsOf(validateDraft(fields, scale, values))).toEqual([key]);
    }
  });

  it('rejects non-finite KPI actuals and bad or duplicate KPI ids', () => {
    expect(fieldsOf(validateDraft(fields, scale, { kpiActuals: [{ kpiId: 1, actual: NaN }] }))).toEqual(['kpiActuals[0].actual']);
    expect(fieldsOf(validateDraft(fields, scale, { kpiActuals: [{ kpiId: 1, actual: 1 }, { kpiId: 2, actual: Infinity }] }))).toEqual([
      'kpiActuals[1].actual',
    ]);
    expect(fieldsOf(validateDraft(fields, scale, { kpiActuals: [{ kpiId: 0, actual: 1 }] }))).toEqual(['kpiActuals[0].kpiId']);
    expect(fieldsOf(validateDraft(fields, scale, { kpiActuals: [{ kpiId: 3, actual: 1 }, { kpiId: 3, actual: 2 }] }))).toEqual([
      'kpiActuals[1].kpiId',
    ]);
    const notNumber = { kpiActuals: [{ kpiId: 1, actual: '5' as unknown as number }] };
    expect(fieldsOf(validateDraft(fields, scale, notNumber))).toEqual(['kpiActuals[0].actual']);
  });
});

describe('validateForSubmit', () => {
  const complete: EntryValues = { rating: '○', progress: '計画どおり進めている' };

  it('accepts a complete entry', () => {
    expect(validateForSubmit(fields, scale, complete)).toEqual([]);
    expect(validateForSubmit(fields, scale, complete, '○')).toEqual([]);
    expect(validateForSubmit(fields, scale, { ...complete, rating: '☆' }, '○')).toEqual([]);
  });

  it('requires a rating', () => {
    const errors = validateForSubmit(fields, scale, { progress: 'x' });
    expect(errors).toEqual([{ field: 'rating', message: '評価を選択してください' }]);
    expect(fieldsOf(validateForSubmit(fields, scale, { progress: 'x', rating: null }))).toEqual(['rating']);
  });

  it('requires always-fields to be non-blank, naming the field', () => {
    for (const progress of [undefined, null, '', '  \n ']) {
      const errors = validateForSubmit(fields, scale, { rating: '○', progress });
      expect(errors).toEqual([{ field: 'progress', message: '進捗状況(progress)を入力してください' }]);
    }
  });

  it('requires a reason for a rating in reasonRequiredFor', () => {
    const errors = validateForSubmit(fields, scale, { ...complete, rating: '△' });
    expect(errors).toEqual([{ field: 'reason', message: '評価が△の場合は理由(reason)を入力してください' }]);
    expect(validateForSubmit(fields, scale, { ...complete, rating: '△', reason: '用地交渉が難航' })).toEqual([]);
    expect(fieldsOf(validateForSubmit(fields, BUILTIN_SCALES.abcd, { progress: 'x', rating: 'D' }))).toEqual(['reason']);
    expect(validateForSubmit(fields, BUILTIN_SCALES.abcd, { progress: 'x', rating: 'C' })).toEqual([]);
    expect(fieldsOf(validateForSubmit(fields, BUILTIN_SCALES.goal3, { progress: 'x', rating: '未達成' }))).toEqual(['reason']);
  });

  it('requires a reason when the rating worsened since the previous cycle', () => {
    const errors = validateForSubmit(fields, scale, complete, '☆');
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('reason');
    expect(errors[0].message).toContain('前回(☆)から○に下がった');
    expect(validateForSubmit(fields, scale, { ...complete, reason: '予算削減' }, '☆')).toEqual([]);
  });

  it('when_reason_needed applies to other fields too', () => {
    const custom: EntryFieldRule[] = [
      ...fields.filter((f) => f.key !== 'nextSteps'),
      { key: 'nextSteps', label: '今後の取組', required: 'when_reason_needed' },
    ];
    expect(fieldsOf(validateForSubmit(custom, scale, { ...complete, rating: '×' }))).toEqual(['reason', 'nextSteps']);
    expect(validateForSubmit(custom, scale, complete)).toEqual([]);
  });

  it('kpiActuals always: every listed KPI needs an actual', () => {
    const custom: EntryFieldRule[] = [{ key: 'kpiActuals', label: '指標実績', required: 'always' }];
    const errors = validateForSubmit(custom, scale, { rating: '○', kpiActuals: [{ kpiId: 1, actual: 3 }, { kpiId: 2, actual: null }] });
    expect(fieldsOf(errors)).toEqual(['kpiActuals']);
    expect(errors[0].message).toContain('2');
    expect(validateForSubmit(custom, scale, { rating: '○', kpiActuals: [{ kpiId: 1, actual: 0 }] })).toEqual([]);
  });

  it('includes the draft checks and reports a bad rating once', () => {
    const errors = validateForSubmit(fields, scale, { rating: 'A', progress: 'a\u0000' });
    expect(fieldsOf(errors).sort()).toEqual(['progress', 'rating']);
  });
});
