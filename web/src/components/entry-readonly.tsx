import { DEFAULT_LABELS } from '../entry-rules';
import type { EntryDetail, TextFieldKey } from '../types';
import { RatingText } from './rating-buttons';

/** The entry as submitted, for approvers and for anyone once it is out of the section's hands. */
export function EntryReadonly({ detail }: { detail: EntryDetail }) {
  const { entry, template, scale, item } = detail;
  const comments = entry.returnFieldComments ?? {};
  const textFields = template.fields.filter((f) => f.key !== 'kpiActuals');
  if (entry.reason && !textFields.some((f) => f.key === 'reason')) textFields.push({ key: 'reason', label: DEFAULT_LABELS.reason, required: 'never' });
  const kpiRule = template.fields.find((f) => f.key === 'kpiActuals');
  const actual = (id: number) => entry.kpiActuals?.find((k) => k.kpiId === id)?.actual;
  return (
    <section className="card" aria-label="報告内容">
      <dl className="readonly">
        <div className="readonly-row">
          <dt>評価</dt>
          <dd className="rating-large">
            <RatingText scale={scale} value={entry.rating} />
          </dd>
        </div>
        {textFields.map((f) => {
          const value = entry[f.key as TextFieldKey];
          return (
            <div key={f.key} className="readonly-row">
              <dt>{f.label}</dt>
              <dd className="pre">{value?.trim() ? value : <span className="muted">(未記入)</span>}</dd>
              {comments[f.key] ? <dd className="field-comment">差戻し指摘: {comments[f.key]}</dd> : null}
            </div>
          );
        })}
        {kpiRule && item.kpis.length ? (
          <div className="readonly-row">
            <dt>{kpiRule.label}</dt>
            <dd>
              <ul className="plain">
                {item.kpis.map((k) => (
                  <li key={k.id}>
                    {k.name}: {actual(k.id) ?? '—'}
                    {k.unit ?? ''}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
