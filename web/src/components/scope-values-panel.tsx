import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { blankToNull, rawOf, type RawValue } from '../form-state';
import type { ScopeValues } from '../types';
import { ErrorMessage, Notice } from './common';
import { FieldInput, FieldValue } from './field-input';

/**
 * A department's or a section's fields for the cycle (基本方針, 総括), entered once and shown
 * with every entry there. Saved on its own (PUT /cycles/:id/scope-values/:scope/:id), versioned.
 */
export function ScopeValuesPanel({ data, onSaved }: { data: ScopeValues; onSaved: () => Promise<void> }) {
  const [values, setValues] = useState<Record<string, RawValue>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => setValues(Object.fromEntries(data.fields.map((f) => [f.key, rawOf(f, data.values[f.key])]))), [data]);
  if (data.fields.length === 0) return null;
  const title = data.scope === 'department' ? `部の項目(${data.name})` : `課の項目(${data.name})`;
  const id = `scope-${data.scope}`;

  async function save() {
    setSaving(true);
    setError(null);
    setErrors({});
    setNotice(null);
    try {
      const body = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, blankToNull(v)]));
      await api.put(`/cycles/${data.cycleId}/scope-values/${data.scope}/${data.scopeId}`, { version: data.version, values: body });
      setNotice(
        `${data.scope === 'department' ? '部' : '課'}の項目を保存しました。この${data.scope === 'department' ? '部' : '課'}のすべてのエントリーに表示されます。`,
      );
      await onSaved();
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fieldErrors());
        setError(err.status === 409 ? '他の人が先に更新しました。最新の内容を読み込み直しました。' : err.message);
        if (err.status === 409) await onSaved();
      } else setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="card scope-values" aria-labelledby={id} data-scope={data.scope}>
      <h2 id={id}>{title}</h2>
      {data.scope === 'department' && data.headName ? <p className="small">部長 {data.headName}</p> : null}
      {data.editable ? (
        <>
          {data.fields.map((f) => (
            <FieldInput
              key={f.key}
              field={{ ...f, key: `${data.scope}-${f.key}` }}
              value={values[f.key] ?? null}
              onChange={(v) => setValues((cur) => ({ ...cur, [f.key]: v }))}
              required={f.required !== undefined && f.required !== false}
              error={errors[f.key]}
            />
          ))}
          <ErrorMessage message={error} />
          <Notice message={notice} kind="success" />
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => void save()} disabled={saving}>
              {saving ? '保存中…' : `${data.scope === 'department' ? '部' : '課'}の項目を保存`}
            </button>
          </div>
        </>
      ) : (
        <dl className="readonly compact">
          {data.fields.map((f) => (
            <div key={f.key} className="readonly-row">
              <dt>{f.label}</dt>
              <dd className={f.type === 'long_text' ? 'pre' : undefined}>
                <FieldValue field={f} value={data.values[f.key]} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
