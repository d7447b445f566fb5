import { useState } from 'react';
import { CONDITION_KINDS, CONDITION_LABELS, type Condition, type ConditionKind, type Rule } from '../../../../libs/domain/src/forms/form-rule';
import type { FormField } from '../../../../libs/domain/src/forms/form-field';
import { optionText } from '../../../../libs/domain/src/scales/rating-scale';
import type { Scale } from '../../types';
import { MODE_LABELS, MODE_ORDER, parseRule, ruleOf, type RulePurpose } from './rule-model';

interface Props {
  purpose: RulePurpose;
  rule: Rule | undefined;
  onChange: (rule: Rule | undefined) => void;
  scale: Scale | undefined;
  /** The form's other fields, which a condition may read. */
  others: FormField[];
  idBase: string;
}

const LEGENDS: Record<RulePurpose, string> = { required: '必須', visible: '表示条件' };

/** Fields whose being filled in can be tested (the rating has its own conditions). */
const fillable = (f: FormField) => f.type !== 'rating' && f.type !== 'kpi_table';
/** Fields with values to compare against: choices and yes/no. */
const comparable = (f: FormField) => f.type === 'single_choice' || f.type === 'multi_choice' || f.type === 'yes_no';

function valuesOf(f: FormField | undefined): { value: string | boolean; label: string }[] {
  if (!f) return [];
  if (f.type === 'yes_no')
    return [
      { value: true, label: 'はい' },
      { value: false, label: 'いいえ' },
    ];
  return (f.options ?? []).filter((o) => o.value.trim()).map((o) => ({ value: o.value, label: o.label || o.value }));
}

function defaultCondition(kind: ConditionKind, others: FormField[]): Condition | null {
  switch (kind) {
    case 'rating_needs_reason':
    case 'worsened':
    case 'kpi_shortfall':
      return { kind };
    case 'rating_in':
      return { kind, values: [] };
    case 'field_filled': {
      const f = others.find(fillable);
      return f ? { kind, key: f.key } : null;
    }
    case 'field_equals': {
      const f = others.find(comparable);
      const v = valuesOf(f)[0];
      return f && v ? { kind, key: f.key, value: v.value } : null;
    }
  }
}

/**
 * 「必須」 or 「表示条件」 of one field: never / always / when any checked condition holds.
 * A rule made of anything else is shown as its JSON, read-only, with a button to replace it.
 */
export function RuleEditor({ purpose, rule, onChange, scale, others, idBase }: Props) {
  const parsed = parseRule(rule, purpose);
  // "When" chosen but nothing checked yet stores the absent rule; remember the choice.
  const [pendingWhen, setPendingWhen] = useState(false);
  const mode = pendingWhen && rule === undefined ? 'when' : parsed.mode;
  const conditions = mode === 'when' ? parsed.conditions : [];
  const id = `${idBase}-${purpose}`;
  const symbol = (v: string) => scale?.options.find((o) => o.value === v)?.symbol ?? v;

  const setConditions = (next: Condition[]) => {
    setPendingWhen(true);
    onChange(ruleOf('when', next, purpose));
  };
  const of = (kind: ConditionKind) => conditions.find((c) => c.kind === kind);
  const replace = (c: Condition) => setConditions(conditions.map((x) => (x.kind === c.kind ? c : x)));
  const toggle = (kind: ConditionKind, on: boolean) => {
    const fresh = defaultCondition(kind, others);
    if (on && fresh) setConditions([...conditions, fresh]);
    if (!on) setConditions(conditions.filter((c) => c.kind !== kind));
  };

  if (mode === 'custom') {
    return (
      <fieldset className="field rule-editor">
        <legend>{LEGENDS[purpose]}</legend>
        <p className="small">この条件は下の一覧の条件では表せないため、JSON で表示しています(読み取り専用)。</p>
        <pre className="rule-json" aria-label={`${LEGENDS[purpose]}の条件(JSON)`}>
          {JSON.stringify(rule, null, 2)}
        </pre>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setPendingWhen(false);
            onChange(ruleOf(purpose === 'required' ? 'never' : 'always', [], purpose));
          }}
        >
          この条件を作り直す
        </button>
      </fieldset>
    );
  }

  const ratingIn = of('rating_in');
  const filled = of('field_filled');
  const equals = of('field_equals');
  const equalsField = equals && equals.kind === 'field_equals' ? others.find((f) => f.key === equals.key) : undefined;
  const ratingValues = ratingIn && ratingIn.kind === 'rating_in' ? ratingIn.values : [];
  const strayRatings = ratingValues.filter((v) => !scale?.options.some((o) => o.value === v));

  const extra = (kind: ConditionKind) => {
    if (kind === 'rating_needs_reason' && scale) {
      return scale.reasonRequiredFor.length ? `(${scale.reasonRequiredFor.map(symbol).join('・')})` : '(この尺度にはありません)';
    }
    if (kind === 'field_filled' && !others.some(fillable)) return '(対象にできる項目がありません)';
    if (kind === 'field_equals' && !others.some((f) => comparable(f) && valuesOf(f).length)) return '(選択肢・はい/いいえの項目がありません)';
    return '';
  };

  return (
    <fieldset className="field rule-editor">
      <legend>{LEGENDS[purpose]}</legend>
      <div className="segmented-radios">
        {MODE_ORDER[purpose].map((m) => (
          <label key={m} className="checkbox">
            <input
              type="radio"
              name={id}
              value={m}
              checked={mode === m}
              onChange={() => {
                setPendingWhen(m === 'when');
                onChange(ruleOf(m, m === 'when' ? conditions : [], purpose));
              }}
            />
            {MODE_LABELS[purpose][m]}
          </label>
        ))}
      </div>
      {mode === 'when' ? (
        <ul className="plain condition-list">
          {CONDITION_KINDS.map((kind) => {
            const c = of(kind);
            const disabled = !c && !defaultCondition(kind, others);
            return (
              <li key={kind}>
                <label className="checkbox">
                  <input type="checkbox" checked={!!c} disabled={disabled} onChange={(e) => toggle(kind, e.target.checked)} />
                  {CONDITION_LABELS[kind]}
                  {extra(kind)}
                </label>
                {kind === 'rating_in' && ratingIn ? (
                  <fieldset className="condition-detail">
                    <legend className="visually-hidden">対象の評価</legend>
                    {[
                      ...(scale?.options ?? []).map((o) => ({ value: o.value, text: optionText(o) })),
                      ...strayRatings.map((v) => ({ value: v, text: `${v}(この尺度にない値)` })),
                    ].map((o) => (
                      <label key={o.value} className="checkbox">
                        <input
                          type="checkbox"
                          checked={ratingValues.includes(o.value)}
                          onChange={(e) =>
                            replace({
                              kind: 'rating_in',
                              values: e.target.checked ? [...ratingValues, o.value] : ratingValues.filter((v) => v !== o.value),
                            })
                          }
                        />
                        {o.text}
                      </label>
                    ))}
                    {ratingValues.length === 0 ? <p className="hint">評価を1つ以上選んでください(選ぶまではこの条件は成り立ちません)。</p> : null}
                  </fieldset>
                ) : null}
                {kind === 'field_filled' && filled && filled.kind === 'field_filled' ? (
                  <div className="condition-detail row-form">
                    <span className="pair">
                      <label htmlFor={`${id}-filled`}>対象の項目</label>
                      <select id={`${id}-filled`} value={filled.key} onChange={(e) => replace({ kind: 'field_filled', key: e.target.value })}>
                        <FieldOptions fields={others.filter(fillable)} current={filled.key} />
                      </select>
                    </span>
                  </div>
                ) : null}
                {kind === 'field_equals' && equals && equals.kind === 'field_equals' ? (
                  <div className="condition-detail row-form">
                    <span className="pair">
                      <label htmlFor={`${id}-eq-key`}>対象の項目</label>
                      <select
                        id={`${id}-eq-key`}
                        value={equals.key}
                        onChange={(e) => {
                          const v = valuesOf(others.find((f) => f.key === e.target.value))[0];
                          replace({ kind: 'field_equals', key: e.target.value, value: v ? v.value : '' });
                        }}
                      >
                        <FieldOptions fields={others.filter(comparable)} current={equals.key} />
                      </select>
                    </span>
                    <span className="pair">
                      <label htmlFor={`${id}-eq-value`}>値</label>
                      <select
                        id={`${id}-eq-value`}
                        value={String(equals.value)}
                        onChange={(e) => {
                          const v = valuesOf(equalsField).find((x) => String(x.value) === e.target.value);
                          replace({ kind: 'field_equals', key: equals.key, value: v ? v.value : e.target.value });
                        }}
                      >
                        {valuesOf(equalsField).some((v) => v.value === equals.value) ? null : (
                          <option value={String(equals.value)}>{String(equals.value)}</option>
                        )}
                        {valuesOf(equalsField).map((v) => (
                          <option key={String(v.value)} value={String(v.value)}>
                            {v.label}
                          </option>
                        ))}
                      </select>
                    </span>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {mode === 'when' && conditions.length === 0 ? <p className="hint">条件を1つ以上選んでください。</p> : null}
    </fieldset>
  );
}

/** The fields a condition may name; a key no field has any more is kept visible so it can be changed. */
function FieldOptions({ fields, current }: { fields: FormField[]; current: string }) {
  return (
    <>
      {fields.some((f) => f.key === current) ? null : <option value={current}>{current}(存在しない項目)</option>}
      {fields.map((f) => (
        <option key={f.key} value={f.key}>
          {f.label || f.key}({f.key})
        </option>
      ))}
    </>
  );
}
