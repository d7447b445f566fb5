import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { displayFieldValue } from '../../../libs/domain/src/forms';
import { optionText } from '../../../libs/domain/src/scales/rating-scale';
import type { ReviewAction } from '../../../libs/domain/src/workflow/entry-state';
import type { ApprovalTurn, DiffRow, EntryDetail, FormField, Kpi, KpiActual, Scale } from '../types';
import { useLoad } from '../use-load';
import { ErrorMessage, Loading } from './common';

function show(value: unknown, field: string, scale: Scale, kpis: Kpi[], fields: FormField[]): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'rating') {
    const o = scale.options.find((x) => x.value === value);
    return o ? optionText(o) : String(value);
  }
  if (field === 'kpiActuals' && Array.isArray(value)) {
    return (
      (value as KpiActual[])
        .map((k) => {
          const kpi = kpis.find((x) => x.id === k.kpiId);
          return `${kpi?.name ?? `指標${k.kpiId}`}: ${k.actual ?? '—'}${k.actual !== null ? (kpi?.unit ?? '') : ''}`;
        })
        .join('、') || '—'
    );
  }
  const def = fields.find((f) => f.key === field);
  return def ? displayFieldValue(def, value) || '—' : String(value);
}

/** What changed: now, at the last reviewed version, and in the previous cycle. */
function DiffTable({ entryId, scale, kpis, fields }: { entryId: number; scale: Scale; kpis: Kpi[]; fields: FormField[] }) {
  const { data, error } = useLoad(() => api.get<DiffRow[]>(`/entries/${entryId}/diff`), [entryId]);
  if (error) return <ErrorMessage message={error} />;
  if (!data) return <Loading what="差分を読み込み中" />;
  const anyBaseline = data.some((r) => r.previousVersion !== null);
  return (
    <div className="table-scroll">
      <table className="table diff-table">
        <caption className="visually-hidden">変更点</caption>
        <thead>
          <tr>
            <th scope="col">項目</th>
            <th scope="col">今回</th>
            {anyBaseline ? <th scope="col">前回の版</th> : null}
            <th scope="col">前回サイクル</th>
          </tr>
        </thead>
        <tbody>
          {data.map((r) => (
            <tr key={r.field}>
              <th scope="row">{r.label}</th>
              <td className={`pre${r.changedSinceVersion ? ' changed' : ''}`}>
                {show(r.current, r.field, scale, kpis, fields)}
                {r.changedSinceVersion ? <span className="badge badge-warning">変更あり</span> : null}
              </td>
              {anyBaseline ? <td className="pre muted">{show(r.previousVersion, r.field, scale, kpis, fields)}</td> : null}
              <td className={`pre${r.changedSincePreviousCycle ? '' : ' muted'}`}>{show(r.previousCycle, r.field, scale, kpis, fields)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** 承認 / 差戻し for the approver of the entry's current step (差戻し needs a comment). */
export function ReviewPanel({ detail, pending, onDone }: { detail: EntryDetail; pending: ApprovalTurn; onDone: (message: string) => Promise<void> }) {
  const { entry, template, scale } = detail;
  const [approveComment, setApproveComment] = useState('');
  const [returnComment, setReturnComment] = useState('');
  const [fieldComments, setFieldComments] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<ReviewAction>('approve');
  const commentable = [
    { key: 'rating', label: template.fields.find((f) => f.type === 'rating')?.label ?? '評価' },
    ...template.fields.filter((f) => f.scope === 'entry' && f.type !== 'rating').map((f) => ({ key: f.key, label: f.label })),
  ];

  async function act(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (mode === 'return' && !returnComment.trim()) {
      setError('差戻しの理由を入力してください');
      document.getElementById('return-comment')?.focus();
      return;
    }
    setBusy(true);
    try {
      if (mode === 'approve') {
        await api.post(`/entries/${entry.id}/approve`, { version: entry.version, comment: approveComment.trim() || undefined });
        await onDone('承認しました。');
      } else {
        const comments = Object.fromEntries(Object.entries(fieldComments).filter(([, v]) => v.trim()));
        await api.post(`/entries/${entry.id}/return`, {
          version: entry.version,
          comment: returnComment.trim(),
          fieldComments: Object.keys(comments).length ? comments : undefined,
        });
        await onDone('差戻しました。担当課に通知されます。');
      }
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409 && err.body.field === 'version'
          ? 'このエントリーは他の人が先に更新しました。画面を読み込み直して内容を確認してください。'
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card review-panel" aria-labelledby="review-title">
      <h2 id="review-title">
        {pending.stepLabel}の確認
        {pending.acting && pending.onBehalfOf ? <span className="badge badge-info">{pending.onBehalfOf.name}さんの代決</span> : null}
      </h2>
      <DiffTable entryId={entry.id} scale={scale} kpis={detail.item.kpis} fields={detail.template.fields} />
      <form onSubmit={act} noValidate>
        <div className="segmented" role="radiogroup" aria-label="判定">
          <label className={mode === 'approve' ? 'active' : undefined}>
            <input type="radio" name="decision" value="approve" checked={mode === 'approve'} onChange={() => setMode('approve')} />
            承認する
          </label>
          <label className={mode === 'return' ? 'active' : undefined}>
            <input type="radio" name="decision" value="return" checked={mode === 'return'} onChange={() => setMode('return')} />
            差し戻す
          </label>
        </div>
        {mode === 'approve' ? (
          <div className="field">
            <label htmlFor="approve-comment">
              コメント<span className="optional">任意</span>
            </label>
            <textarea id="approve-comment" rows={2} value={approveComment} onChange={(e) => setApproveComment(e.target.value)} />
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor="return-comment">
                差戻しの理由<span className="required">必須</span>
              </label>
              <textarea
                id="return-comment"
                rows={3}
                required
                value={returnComment}
                aria-invalid={(!!error && !returnComment.trim()) || undefined}
                aria-describedby={error ? 'review-error' : undefined}
                onChange={(e) => {
                  setReturnComment(e.target.value);
                  setError(null);
                }}
              />
            </div>
            <details className="field-comments">
              <summary>項目ごとに指摘する(任意)</summary>
              {commentable.map((f) => (
                <div key={f.key} className="field">
                  <label htmlFor={`fc-${f.key}`}>{f.label}への指摘</label>
                  <input
                    id={`fc-${f.key}`}
                    value={fieldComments[f.key] ?? ''}
                    onChange={(e) => setFieldComments({ ...fieldComments, [f.key]: e.target.value })}
                  />
                </div>
              ))}
            </details>
          </>
        )}
        <ErrorMessage message={error} id="review-error" />
        <div className="form-actions">
          {mode === 'approve' ? (
            <button type="submit" className="btn btn-primary" disabled={busy}>
              承認
            </button>
          ) : (
            <button type="submit" className="btn btn-danger" disabled={busy}>
              差戻し
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
