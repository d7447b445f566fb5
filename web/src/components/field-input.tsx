import type { ReactNode } from 'react';
import { displayWithUnit, eraDateLabel, normaliseFieldValue } from '../../../libs/domain/src/forms';
import type { RawValue } from '../form-state';
import type { FormField } from '../types';

export interface FieldInputProps {
  field: FormField;
  value: RawValue;
  onChange: (value: RawValue) => void;
  required: boolean;
  /** A message from the API (422) for this field. */
  error?: string;
  /** The evaluator's 差戻し comment on this field. */
  comment?: string;
  /** A line above the input saying why it is needed now ("評価が△のため…"). */
  hint?: string;
  disabled?: boolean;
}

const Badge = ({ required }: { required: boolean }) => (required ? <span className="required">必須</span> : <span className="optional">任意</span>);

/**
 * One field of the form as its type asks: text, number with its unit, money in 千円, a date
 * with its era reading, choices as radio buttons or check boxes, yes/no. Ids follow the key
 * (`field-<key>`), so labels, errors and comments are tied to the input for screen readers.
 */
export function FieldInput(p: FieldInputProps) {
  const { field: f } = p;
  const id = `field-${f.key}`;
  // What the API would say of the value as typed, shown at once (not only after saving).
  const local = p.value === null || p.value === '' ? null : normaliseFieldValue(f, p.value);
  const localError = local && 'message' in local ? local.message : undefined;
  const error = p.error ?? localError;
  const describedBy =
    [p.hint && `hint-${f.key}`, f.help && `help-${f.key}`, p.comment && `comment-${f.key}`, error && `error-${f.key}`].filter(Boolean).join(' ') || undefined;
  const common = { 'aria-invalid': !!error || undefined, 'aria-describedby': describedBy, disabled: p.disabled };
  const group = f.type === 'single_choice' || f.type === 'multi_choice' || f.type === 'yes_no';

  let input: ReactNode;
  switch (f.type) {
    case 'long_text': {
      const text = typeof p.value === 'string' ? p.value : '';
      const length = [...text].length;
      input = (
        <>
          <textarea
            id={id}
            name={f.key}
            rows={f.key === 'progress' ? 6 : 4}
            value={text}
            aria-required={p.required || undefined}
            {...common}
            onChange={(e) => p.onChange(e.target.value)}
          />
          {f.maxLength ? (
            <p className={`counter${length > f.maxLength ? ' text-danger' : ''}`}>
              {length} / {f.maxLength} 文字{length > f.maxLength ? `(${length - f.maxLength}文字超過)` : ''}
            </p>
          ) : null}
        </>
      );
      break;
    }
    case 'short_text':
      input = (
        <input
          id={id}
          name={f.key}
          value={typeof p.value === 'string' ? p.value : ''}
          aria-required={p.required || undefined}
          maxLength={f.maxLength}
          {...common}
          onChange={(e) => p.onChange(e.target.value)}
        />
      );
      break;
    case 'number':
    case 'money':
      input = (
        <div className="input-unit">
          <input
            id={id}
            name={f.key}
            inputMode="decimal"
            value={typeof p.value === 'string' ? p.value : ''}
            aria-required={p.required || undefined}
            {...common}
            onChange={(e) => p.onChange(e.target.value)}
          />
          <span className="unit">{f.type === 'money' ? '千円' : (f.unit ?? '')}</span>
        </div>
      );
      break;
    case 'date': {
      const iso = typeof p.value === 'string' ? p.value : '';
      input = (
        <div className="input-unit">
          <input
            id={id}
            name={f.key}
            type="date"
            value={iso}
            aria-required={p.required || undefined}
            {...common}
            onChange={(e) => p.onChange(e.target.value)}
          />
          {iso && !localError ? <span className="unit">{eraDateLabel(iso)}</span> : null}
        </div>
      );
      break;
    }
    case 'single_choice':
      input = (
        <div className="choice-group" role="radiogroup" aria-labelledby={`label-${f.key}`} aria-describedby={describedBy}>
          {(f.options ?? []).map((o) => (
            <label key={o.value} className="choice">
              <input type="radio" name={f.key} value={o.value} checked={p.value === o.value} disabled={p.disabled} onChange={() => p.onChange(o.value)} />
              {o.label}
            </label>
          ))}
          {!p.required && p.value ? (
            <button type="button" className="btn btn-small" onClick={() => p.onChange('')} disabled={p.disabled}>
              選択を解除
            </button>
          ) : null}
        </div>
      );
      break;
    case 'multi_choice': {
      const chosen = Array.isArray(p.value) ? p.value : [];
      input = (
        <div className="choice-group choice-grid" role="group" aria-labelledby={`label-${f.key}`} aria-describedby={describedBy}>
          {(f.options ?? []).map((o) => (
            <label key={o.value} className="choice">
              <input
                type="checkbox"
                name={f.key}
                value={o.value}
                checked={chosen.includes(o.value)}
                disabled={p.disabled}
                onChange={(e) => p.onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))}
              />
              {o.label}
            </label>
          ))}
          {f.maxSelections ? <p className="small muted">{f.maxSelections}つまで選択できます</p> : null}
        </div>
      );
      break;
    }
    case 'yes_no':
      input = (
        <div className="choice-group" role="radiogroup" aria-labelledby={`label-${f.key}`} aria-describedby={describedBy}>
          {[
            [true, 'はい'],
            [false, 'いいえ'],
          ].map(([v, label]) => (
            <label key={String(v)} className="choice">
              <input type="radio" name={f.key} checked={p.value === v} disabled={p.disabled} onChange={() => p.onChange(v as boolean)} />
              {label as string}
            </label>
          ))}
        </div>
      );
      break;
    default:
      input = null;
  }

  return (
    <div className={`field${p.comment ? ' field-flagged' : ''}${error ? ' field-invalid' : ''}`} data-field={f.key}>
      {group ? (
        <span className="field-label" id={`label-${f.key}`}>
          {f.label}
          <Badge required={p.required} />
        </span>
      ) : (
        <label htmlFor={id} id={`label-${f.key}`}>
          {f.label}
          <Badge required={p.required} />
        </label>
      )}
      {p.hint ? (
        <p className="hint" id={`hint-${f.key}`}>
          {p.hint}
        </p>
      ) : null}
      {f.help ? (
        <p className="small muted" id={`help-${f.key}`}>
          {f.help}
        </p>
      ) : null}
      {input}
      {p.comment ? (
        <p className="field-comment" id={`comment-${f.key}`}>
          <span className="field-comment-label">差戻し指摘</span>
          {p.comment}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`error-${f.key}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A stored value as text, for read-only views (era dates, choice labels, はい/いいえ). */
export function FieldValue({ field, value }: { field: FormField; value: unknown }) {
  const text = displayWithUnit(field, value);
  return text ? <span className={field.type === 'long_text' ? 'pre' : undefined}>{text}</span> : <span className="muted">(未入力)</span>;
}
