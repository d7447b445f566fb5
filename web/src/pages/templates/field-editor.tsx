import {
  FIELD_KEY_PATTERN,
  FIELD_SCOPE_LABELS,
  FIELD_TYPE_LABELS,
  FORM_SCOPES,
  type FieldScope,
  type FieldType,
  type FormField,
} from '../../../../libs/domain/src/forms/form-field';
import { normaliseField } from '../../../../libs/domain/src/forms/form-definition';
import type { Scale } from '../../types';
import { ChoiceOptions } from './choice-options';
import { BUILTIN_ONLY_TYPES, CUSTOM_FIELD_TYPES, isChoice, isNumeric, isText, type DraftField } from './model';
import { RuleEditor } from './rule-editor';

interface Props {
  index: number;
  item: DraftField;
  others: FormField[];
  scale: Scale | undefined;
  problems: string[];
  autoFocus: boolean;
  onChange: (field: FormField) => void;
}

/** A number input's value, or undefined when left empty. */
const numberOf = (raw: string): number | undefined => (raw.trim() === '' ? undefined : Number(raw));

/** One field's settings: type, label, key, help, scope, what its type needs, and its two rules. */
export function FieldEditor({ index, item, others, scale, problems, autoFocus, onChange }: Props) {
  const f = item.field;
  const id = `fld-${item.uid}`;
  const builtin = item.builtin;
  const fixedType = builtin || BUILTIN_ONLY_TYPES.includes(f.type);
  const set = (patch: Partial<FormField>) => onChange({ ...f, ...patch });
  const keyOk = FIELD_KEY_PATTERN.test(f.key);
  const defaultLength = isText(f.type) ? normaliseField({ key: 'x', type: f.type }).maxLength : undefined;
  const types = fixedType ? [f.type] : CUSTOM_FIELD_TYPES;

  return (
    <fieldset className="field-editor">
      <legend>{index + 1}番目の項目を編集</legend>
      {problems.length ? (
        <ul className="field-problems" aria-label="この項目の確認事項">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div className="grid-form">
        <div className="field">
          <label htmlFor={`${id}-type`}>種類</label>
          <select
            id={`${id}-type`}
            value={f.type}
            disabled={fixedType}
            onChange={(e) => {
              const type = e.target.value as FieldType;
              set({ type, options: isChoice(type) ? (f.options ?? []) : f.options });
            }}
          >
            {types.map((t) => (
              <option key={t} value={t}>
                {FIELD_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
          {builtin ? <p className="small muted">標準の項目です(種類とキーは固定)。</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-label`}>表示名</label>
          <input id={`${id}-label`} value={f.label} maxLength={100} autoFocus={autoFocus} onChange={(e) => set({ label: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-key`}>キー(半角英字で始まる英数字・_)</label>
          <input
            id={`${id}-key`}
            value={f.key}
            maxLength={40}
            readOnly={builtin}
            aria-invalid={!keyOk}
            aria-describedby={`${id}-key-hint`}
            onChange={(e) => set({ key: e.target.value })}
          />
          <p id={`${id}-key-hint`} className="small muted">
            CSV出力や条件で使う名前です。
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-scope`}>入力単位</label>
          <select id={`${id}-scope`} value={f.scope} disabled={builtin || fixedType} onChange={(e) => set({ scope: e.target.value as FieldScope })}>
            {(FORM_SCOPES.includes(f.scope) ? FORM_SCOPES : [f.scope, ...FORM_SCOPES]).map((s) => (
              <option key={s} value={s}>
                {FIELD_SCOPE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-help`}>説明(入力欄の下に表示)</label>
        <textarea id={`${id}-help`} rows={2} maxLength={500} value={f.help ?? ''} onChange={(e) => set({ help: e.target.value })} />
      </div>

      {isChoice(f.type) ? <ChoiceOptions idBase={id} options={f.options ?? []} onChange={(options) => set({ options })} /> : null}
      <div className="grid-form">
        {f.type === 'multi_choice' ? (
          <NumberField
            id={`${id}-maxsel`}
            label="選択できる数(上限)"
            value={f.maxSelections}
            min={1}
            max={50}
            onChange={(maxSelections) => set({ maxSelections })}
          />
        ) : null}
        {isText(f.type) ? (
          <NumberField
            id={`${id}-maxlen`}
            label="最大文字数"
            value={f.maxLength}
            min={1}
            max={20000}
            placeholder={defaultLength}
            onChange={(maxLength) => set({ maxLength })}
          />
        ) : null}
        {isNumeric(f.type) ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-unit`}>単位</label>
              <input id={`${id}-unit`} value={f.unit ?? ''} maxLength={20} onChange={(e) => set({ unit: e.target.value })} />
            </div>
            <NumberField
              id={`${id}-decimals`}
              label="小数の桁数"
              value={f.decimals}
              min={0}
              max={6}
              placeholder={0}
              onChange={(decimals) => set({ decimals })}
            />
            <NumberField id={`${id}-min`} label="最小値" value={f.min} step="any" onChange={(min) => set({ min })} />
            <NumberField id={`${id}-max`} label="最大値" value={f.max} step="any" onChange={(max) => set({ max })} />
          </>
        ) : null}
      </div>

      <div className="rule-pair">
        <RuleEditor purpose="required" idBase={id} rule={f.required} scale={scale} others={others} onChange={(required) => set({ required })} />
        <RuleEditor purpose="visible" idBase={id} rule={f.visible} scale={scale} others={others} onChange={(visible) => set({ visible })} />
      </div>
    </fieldset>
  );
}

function NumberField(props: {
  id: string;
  label: string;
  value: number | undefined;
  min?: number;
  max?: number;
  step?: string;
  placeholder?: number;
  onChange: (v: number | undefined) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        value={props.value ?? ''}
        min={props.min}
        max={props.max}
        step={props.step}
        placeholder={props.placeholder === undefined ? undefined : String(props.placeholder)}
        onChange={(e) => props.onChange(numberOf(e.target.value))}
      />
    </div>
  );
}
