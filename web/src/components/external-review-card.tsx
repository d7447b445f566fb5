import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { formatDateTime } from '../format';
import { useLoad } from '../use-load';
import { ErrorMessage, Notice } from './common';
import { EXTERNAL_REVIEW_LABEL, RECOMMENDATION_LABEL, RECOMMENDATION_RESPONSE_LABEL } from '../../../libs/domain/src/workflow/approval-steps';

interface ExternalReviewView {
  recommendation: { id: number; cycleLabel: string; text: string; writtenAt: string } | null;
  response: { text: string; writtenAt: string } | null;
  required: boolean;
  editable: boolean;
}

/**
 * The previous cycle's 外部評価 提言 on this item beside the section's 対応方針: editable by the
 * section while the entry is, shown to everyone who reads the entry afterwards.
 */
export function ExternalReviewCard({ entryId }: { entryId: number }) {
  const view = useLoad(() => api.get<ExternalReviewView>(`/entries/${entryId}/external-review`), [entryId]);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const v = view.data;
  if (!v?.recommendation) return null;
  const value = text ?? v.response?.text ?? '';
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await api.put(`/entries/${entryId}/external-review/response`, { text: value });
      setNotice(`${RECOMMENDATION_RESPONSE_LABEL}を保存しました。`);
      setText(null);
      await view.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="card" aria-labelledby="external-review-title">
      <h2 id="external-review-title">
        {EXTERNAL_REVIEW_LABEL}の{RECOMMENDATION_LABEL}と{RECOMMENDATION_RESPONSE_LABEL}
      </h2>
      <div className="field">
        <div className="field-label">
          {RECOMMENDATION_LABEL}({v.recommendation.cycleLabel}・{formatDateTime(v.recommendation.writtenAt)})
        </div>
        <p className="recommendation-text">{v.recommendation.text}</p>
      </div>
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error} />
      {v.editable ? (
        <form onSubmit={save} noValidate>
          <label htmlFor="recommendation-response">
            {RECOMMENDATION_RESPONSE_LABEL}
            {v.required ? <span className="required">提出に必須</span> : null}
          </label>
          <textarea id="recommendation-response" rows={3} maxLength={4000} value={value} onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="btn btn-small">
            {RECOMMENDATION_RESPONSE_LABEL}を保存
          </button>
        </form>
      ) : (
        <div className="field">
          <div className="field-label">{RECOMMENDATION_RESPONSE_LABEL}</div>
          <p className="recommendation-text">{v.response?.text ?? '(未入力)'}</p>
        </div>
      )}
    </section>
  );
}
