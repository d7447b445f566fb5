import { useState } from 'react';
import { api } from '../api';
import { ErrorMessage, Loading, Notice } from '../components/common';
import { itemNumber } from '../format';
import { useLoad } from '../use-load';
import { EXTERNAL_REVIEW_LABEL, RECOMMENDATION_LABEL } from '../../../libs/domain/src/workflow/approval-steps';

interface ReviewCycle {
  id: number;
  label: string;
  state: string;
  templateName: string;
}

interface ReviewItem {
  itemId: number;
  itemNumber: number;
  itemSubNumber: string;
  itemTitle: string;
  recommendation: string | null;
  sections: { sectionName: string; rating: string | null; progress: string | null; reason: string | null; nextSteps: string | null }[];
}

/** 外部評価: the outside reviewer's cycles, their accepted entries per item, and a 提言 per item. */
export function ExternalReviewPage() {
  const cycles = useLoad(() => api.get<ReviewCycle[]>('/external-review/cycles'), []);
  const [cycleId, setCycleId] = useState<number | null>(null);
  if (cycles.error) return <ErrorMessage message={cycles.error} />;
  if (!cycles.data) return <Loading />;
  const current = cycleId ?? cycles.data[0]?.id ?? null;
  return (
    <>
      <h1>{EXTERNAL_REVIEW_LABEL}</h1>
      {cycles.data.length === 0 ? <p className="muted">割り当てられたサイクルはありません。</p> : null}
      {cycles.data.length > 1 ? (
        <div className="field">
          <label htmlFor="review-cycle">サイクル</label>
          <select id="review-cycle" value={current ?? ''} onChange={(e) => setCycleId(Number(e.target.value))}>
            {cycles.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.templateName} {c.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {current ? <ReviewItems key={current} cycleId={current} /> : null}
    </>
  );
}

function ReviewItems({ cycleId }: { cycleId: number }) {
  const items = useLoad(() => api.get<ReviewItem[]>(`/external-review/cycles/${cycleId}/items`), [cycleId]);
  if (items.error) return <ErrorMessage message={items.error} />;
  if (!items.data) return <Loading />;
  if (!items.data.length) return <p className="muted">承認済みの項目はまだありません。</p>;
  return (
    <>
      {items.data.map((item) => (
        <ReviewItemCard key={item.itemId} cycleId={cycleId} item={item} />
      ))}
    </>
  );
}

function ReviewItemCard({ cycleId, item }: { cycleId: number; item: ReviewItem }) {
  const [text, setText] = useState(item.recommendation ?? '');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const title = `${itemNumber(item.itemNumber, item.itemSubNumber)} ${item.itemTitle}`;
  const save = async () => {
    setError(null);
    try {
      await api.put(`/external-review/cycles/${cycleId}/items/${item.itemId}/recommendation`, { text });
      setNotice(`${RECOMMENDATION_LABEL}を保存しました。`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <table className="table">
        <thead>
          <tr>
            <th>課</th>
            <th>評価</th>
            <th>進捗状況</th>
            <th>今後の取組</th>
          </tr>
        </thead>
        <tbody>
          {item.sections.map((s) => (
            <tr key={s.sectionName}>
              <td>{s.sectionName}</td>
              <td>{s.rating ?? '—'}</td>
              <td>{s.progress ?? ''}</td>
              <td>{s.nextSteps ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error} />
      <label htmlFor={`rec-${item.itemId}`}>{RECOMMENDATION_LABEL}</label>
      <textarea id={`rec-${item.itemId}`} rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="button" className="btn btn-small btn-primary" onClick={() => void save()}>
        {RECOMMENDATION_LABEL}を保存
      </button>
    </section>
  );
}
