import { useState } from 'react';
import { api } from '../../api';
import { ErrorMessage, Notice } from '../../components/common';
import type { UserRow } from '../../types';
import { useLoad } from '../../use-load';
import { EXTERNAL_REVIEW_LABEL } from '../../../../libs/domain/src/workflow/approval-steps';
import { ROLE_LABELS } from '../../../../libs/domain/src/org/roles';

interface Reviewers {
  enabled: boolean;
  reviewers: { userId: number; name: string }[];
}

/** 外部評価委員 of the cycle: shown, and assigned by planning, when the template has outside review. */
export function ExternalReviewers({ cycleId }: { cycleId: number }) {
  const data = useLoad(() => api.get<Reviewers>(`/cycles/${cycleId}/external-reviewers`), [cycleId]);
  const users = useLoad(() => api.get<UserRow[]>('/org/users'), []);
  const [picked, setPicked] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!data.data?.enabled) return null;
  const assigned = new Set(data.data.reviewers.map((r) => r.userId));
  const candidates = (users.data ?? []).filter((u) => u.active && u.roles.includes('external_reviewer') && !assigned.has(u.id));
  const assign = async () => {
    setError(null);
    try {
      await api.post(`/cycles/${cycleId}/external-reviewers`, { userId: Number(picked) });
      setNotice(`${ROLE_LABELS.external_reviewer}を割り当てました。`);
      setPicked('');
      await data.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="card" aria-labelledby="external-reviewers-title">
      <h2 id="external-reviewers-title">
        {EXTERNAL_REVIEW_LABEL}({ROLE_LABELS.external_reviewer})
      </h2>
      <p className="small">{data.data.reviewers.length ? data.data.reviewers.map((r) => r.name).join('、') : '割り当てられた委員はいません。'}</p>
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error} />
      {candidates.length ? (
        <div className="row-form">
          <label htmlFor={`reviewer-${cycleId}`}>割り当てる委員</label>
          <select id={`reviewer-${cycleId}`} value={picked} onChange={(e) => setPicked(e.target.value)}>
            <option value="">選択してください</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-small" disabled={!picked} onClick={() => void assign()}>
            割り当て
          </button>
        </div>
      ) : null}
    </section>
  );
}
