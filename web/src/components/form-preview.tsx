import { useMemo, useState } from 'react';
import { FIELD_SCOPE_LABELS, type FormField, type KpiDefinition } from '../../../libs/domain/src/forms';
import { fieldPresence, fieldViews, type FormState, type RawValue, valuesOf } from '../form-state';
import type { Kpi, Scale } from '../types';
import { FieldInput } from './field-input';
import { KpiTable } from './kpi-table';
import { RatingButtons } from './rating-buttons';

const PREVIEW_YEAR = 2024;
/** Two sample KPIs, so a KPI table and the rules that read it can be tried in the preview. */
const SAMPLE_KPIS: KpiDefinition[] = [
  { id: 1, name: '(例)参加者数', unit: '人', kind: 'numeric', direction: 'higher', targets: { [PREVIEW_YEAR]: 200 } },
  { id: 2, name: '(例)計画の策定', unit: '', kind: 'milestone', direction: 'higher', targets: { [PREVIEW_YEAR]: '策定完了' } },
];

/**
 * The form as a section would see it, live: type a value, pick a rating, and the fields its
 * rules show or require appear exactly as they will in the entry form (the same functions).
 * Nothing is saved.
 */
export function FormPreview({ fields, scale }: { fields: FormField[]; scale: Scale }) {
  const [state, setState] = useState<FormState>({ rating: null, fields: {}, kpis: {} });
  const kpis = useMemo<Kpi[]>(() => SAMPLE_KPIS.map((k) => ({ ...k, achievement: { target: null, actual: null, rate: null, achieved: null } })), []);
  const { views } = fieldViews(fields, scale, valuesOf(state, fields, SAMPLE_KPIS), { kpis: SAMPLE_KPIS, fiscalYear: PREVIEW_YEAR, scopeValues: {} });
  const set = (key: string) => (v: RawValue) => setState((s) => ({ ...s, fields: { ...s.fields, [key]: v } }));
  const ordered = fields.some((f) => f.type === 'rating') ? fields : [{ key: 'rating', label: '評価', type: 'rating', scope: 'entry' } as FormField, ...fields];
  return (
    <div className="form-preview" aria-label="入力画面のプレビュー">
      {ordered.map((f) => {
        const view = views[f.key] ?? { shown: true, required: false };
        if (!view.shown) return null;
        const scopeNote =
          f.scope !== 'entry' ? <p className="small muted">{FIELD_SCOPE_LABELS[f.scope]}: 部・課の欄に1回入力し、各エントリーに表示されます</p> : null;
        if (f.type === 'rating') {
          return (
            <fieldset key="rating" className="field rating-field">
              <legend id="rating-legend">
                {f.label}
                <span className="required">必須</span>
              </legend>
              <RatingButtons scale={scale} value={state.rating} onChange={(rating) => setState((s) => ({ ...s, rating }))} />
            </fieldset>
          );
        }
        if (f.type === 'kpi_table') {
          return (
            <KpiTable
              key={f.key}
              field={f}
              kpis={kpis}
              fiscalYear={PREVIEW_YEAR}
              raw={state.kpis}
              required={view.required}
              onChange={(id, v) => setState((s) => ({ ...s, kpis: { ...s.kpis, [id]: v } }))}
            />
          );
        }
        const raw = state.fields[f.key] ?? null;
        const presence = fieldPresence(f, view, raw);
        if (presence.waiting) {
          return (
            <p key={f.key} className="small muted preview-hidden">
              「{f.label}」は条件を満たすと表示されます
            </p>
          );
        }
        return (
          <div key={f.key} className={presence.highlighted ? 'reason-box' : undefined}>
            {scopeNote}
            <FieldInput field={{ ...f, key: `preview-${f.key}` }} value={raw} onChange={set(f.key)} required={view.required} />
          </div>
        );
      })}
    </div>
  );
}
