import { eraYearLabel } from '../fiscal-years';
import type { AttrDraft, ValueDraft } from '../item-draft';
import type { FormField } from '../plan-types';

/**
 * The plan's attributes of one item, one input each by type; a per-year attribute gets one
 * input per fiscal year shown. Numbers may be typed as the clerk types them (１，２００): the api
 * normalises them and names the attribute when it cannot.
 */
export function AttributeInputs({
  fields,
  values,
  years,
  onChange,
}: {
  fields: FormField[];
  values: Record<string, AttrDraft>;
  years: number[];
  onChange: (key: string, value: AttrDraft) => void;
}) {
  if (!fields.length) return <p className="muted">この計画には項目の属性が定義されていません。</p>;
  return (
    <div className="attribute-inputs">
      {fields.map((f) => {
        const id = `attr-${f.key}`;
        if (!f.perYear) {
          return (
            <div key={f.key} className={f.type === 'multi_choice' ? undefined : 'field'}>
              <ValueInput field={f} id={id} label={f.label} value={values[f.key] as ValueDraft} onChange={(v) => onChange(f.key, v)} />
              {f.help ? <p className="small muted">{f.help}</p> : null}
            </div>
          );
        }
        const byYear = (values[f.key] ?? {}) as Record<string, ValueDraft>;
        return (
          <fieldset key={f.key} className="field year-fieldset">
            <legend>{f.label}</legend>
            {f.help ? <p className="small muted">{f.help}</p> : null}
            <div className="year-grid">
              {years.map((y) => (
                <div key={y} className="field">
                  <ValueInput
                    field={f}
                    id={`${id}-${y}`}
                    label={eraYearLabel(y)}
                    value={byYear[String(y)] ?? (f.type === 'multi_choice' ? [] : '')}
                    onChange={(v) => onChange(f.key, { ...byYear, [String(y)]: v })}
                  />
                </div>
              ))}
            </div>
          </fieldset>
        );
      })}
    </div>
  );
}

function ValueInput({
  field: f,
  id,
  label,
  value,
  onChange,
}: {
  field: FormField;
  id: string;
  label: string;
  value: ValueDraft;
  onChange: (v: ValueDraft) => void;
}) {
  const text = typeof value === 'string' ? value : '';
  switch (f.type) {
    case 'long_text':
      return (
        <>
          <label htmlFor={id}>{label}</label>
          <textarea id={id} rows={3} value={text} maxLength={f.maxLength} onChange={(e) => onChange(e.target.value)} />
        </>
      );
    case 'number':
    case 'money': {
      const unit = f.unit ?? (f.type === 'money' ? '千円' : '');
      return (
        <>
          <label htmlFor={id}>{label}</label>
          <div className="input-unit">
            <input id={id} inputMode="decimal" value={text} onChange={(e) => onChange(e.target.value)} />
            {unit ? <span className="unit">{unit}</span> : null}
          </div>
        </>
      );
    }
    case 'date':
      return (
        <>
          <label htmlFor={id}>{label}</label>
          <input id={id} type="date" value={text} onChange={(e) => onChange(e.target.value)} />
        </>
      );
    case 'single_choice':
    case 'yes_no': {
      const options =
        f.type === 'yes_no'
          ? [
              { value: 'true', label: 'はい' },
              { value: 'false', label: 'いいえ' },
            ]
          : (f.options ?? []);
      return (
        <>
          <label htmlFor={id}>{label}</label>
          <select id={id} value={text} onChange={(e) => onChange(e.target.value)}>
            <option value="">未選択</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </>
      );
    }
    case 'multi_choice': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        <fieldset className="field choice-fieldset">
          <legend>
            {label}
            {f.maxSelections ? <span className="small muted">({f.maxSelections}つまで)</span> : null}
          </legend>
          <div className="choice-grid">
            {(f.options ?? []).map((o) => (
              <label key={o.value} className="checkbox">
                <input
                  type="checkbox"
                  checked={chosen.includes(o.value)}
                  onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))}
                />
                {o.label}
              </label>
            ))}
          </div>
        </fieldset>
      );
    }
    default:
      return (
        <>
          <label htmlFor={id}>{label}</label>
          <input id={id} value={text} maxLength={f.maxLength} onChange={(e) => onChange(e.target.value)} />
        </>
      );
  }
}
