import { hasValue } from '../../../libs/domain/src/forms';
import { kpiRawOf, storedValue } from '../form-state';
import type { EntryDetail } from '../types';
import { FieldValue } from './field-input';
import { KpiTable } from './kpi-table';
import { RatingText } from './rating-buttons';

/**
 * The entry as submitted, for approvers and for anyone once it is out of the section's hands:
 * every entry field of the cycle's form in its order and with its label; a field required only
 * under a condition shows when it has a value.
 */
export function EntryReadonly({ detail }: { detail: EntryDetail }) {
  const { entry, template, scale, item } = detail;
  const comments = entry.returnFieldComments ?? {};
  const ratingLabel = template.fields.find((f) => f.type === 'rating')?.label ?? '評価';
  const kpiField = template.fields.find((f) => f.type === 'kpi_table');
  const fields = template.fields.filter(
    (f) =>
      f.scope === 'entry' &&
      f.type !== 'rating' &&
      f.type !== 'kpi_table' &&
      (f.required === true || f.required === undefined || hasValue(storedValue(entry, f.key))),
  );
  return (
    <section className="card" aria-label="エントリーの内容">
      <dl className="readonly">
        <div className="readonly-row">
          <dt>{ratingLabel}</dt>
          <dd className="rating-large">
            <RatingText scale={scale} value={entry.rating} />
          </dd>
        </div>
        {fields.map((f) => (
          <div key={f.key} className="readonly-row" data-field={f.key}>
            <dt>{f.label}</dt>
            <dd className={f.type === 'long_text' ? 'pre' : undefined}>
              <FieldValue field={f} value={storedValue(entry, f.key)} />
            </dd>
            {comments[f.key] ? <dd className="field-comment">差戻し指摘: {comments[f.key]}</dd> : null}
          </div>
        ))}
      </dl>
      {kpiField && item.kpis.length ? (
        <KpiTable
          field={kpiField}
          kpis={item.kpis}
          fiscalYear={detail.fiscalYear}
          raw={kpiRawOf(entry)}
          required={false}
          comment={comments.kpiActuals}
          previous={detail.previous ? { label: detail.previous.cycleLabel, actuals: detail.previous.kpiActuals ?? [] } : null}
        />
      ) : null}
    </section>
  );
}
