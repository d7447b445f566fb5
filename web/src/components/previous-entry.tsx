import type { EntryDetail, TextFieldKey } from '../types';
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
              <dt>評価</dt>
              <dd>
                <RatingText scale={scale} value={previous.rating} />
              </dd>
            </div>
            {template.fields
              .filter((f) => f.key !== 'kpiActuals' && previous[f.key as TextFieldKey])
              .map((f) => (
                <div key={f.key} className="readonly-row">
                  <dt>{f.label}</dt>
                  <dd className="pre">{previous[f.key as TextFieldKey]}</dd>
                </div>
              ))}
          </dl>
        </>
      )}
    </section>
  );
}
