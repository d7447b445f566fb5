import { hasValue } from '../../../libs/domain/src/forms';
import { storedValue } from '../form-state';
import type { EntryDetail } from '../types';
import { FieldValue } from './field-input';
import { RatingText } from './rating-buttons';

/** Last cycle's entry beside the form, so the section writes on from it. */
export function PreviousEntry({ detail }: { detail: EntryDetail }) {
  const { previous, template, scale } = detail;
  return (
    <section className="card side-card previous" aria-labelledby="previous-title">
      <h2 id="previous-title">前回のエントリー</h2>
      {!previous ? (
        <p className="muted">前回のエントリーはありません。</p>
      ) : (
        <>
          <p className="small muted">
            {previous.cycleLabel}({previous.stateLabel})
          </p>
          <dl className="readonly compact">
            <div className="readonly-row">
              <dt>{template.fields.find((f) => f.type === 'rating')?.label ?? '評価'}</dt>
              <dd>
                <RatingText scale={scale} value={previous.rating} />
              </dd>
            </div>
            {template.fields
              .filter((f) => f.scope === 'entry' && f.type !== 'rating' && f.type !== 'kpi_table' && hasValue(storedValue(previous, f.key)))
              .map((f) => (
                <div key={f.key} className="readonly-row">
                  <dt>{f.label}</dt>
                  <dd className={f.type === 'long_text' ? 'pre' : undefined}>
                    <FieldValue field={f} value={storedValue(previous, f.key)} />
                  </dd>
                </div>
              ))}
          </dl>
        </>
      )}
    </section>
  );
}
