import { api } from '../../api';
import { Bar, ErrorMessage, Loading } from '../../components/common';
import { itemNumber } from '../../format';
import { Link } from '../../router';
import type { Completeness } from '../../types';
import { useLoad } from '../../use-load';
import { ChartRows } from './charts';
import { STATE_ORDER } from './states';

export function CompletenessView({ id }: { id: number }) {
  const { data, error } = useLoad(() => api.get<Completeness>(`/cycles/${id}/completeness`), [id]);
  if (error) return <ErrorMessage message={error} />;
  if (!data) return <Loading />;
  const t = data.total;
  return (
    <>
      <section className="card">
        <h2>全体</h2>
        <div className="stat-row">
          <div className="stat">
            <span className="stat-value">{t.acceptedPercent}%</span>
            <span className="stat-label">
              承認済み({t.accepted}/{t.total})
            </span>
          </div>
          {STATE_ORDER.filter((s) => s !== 'accepted' && t.counts[s]).map((s) => (
            <div key={s} className="stat">
              <span className="stat-value">{t.counts[s]}</span>
              <span className="stat-label">{data.stateLabels[s]}</span>
            </div>
          ))}
        </div>
        <StackedBar counts={t.counts} total={t.total} labels={data.stateLabels} />
      </section>
      <section className="card">
        <h2>部局別の完了率</h2>
        <ChartRows
          rows={data.departments.map((d) => ({
            key: d.departmentId,
            label: d.departmentName,
            value: d.acceptedPercent,
            text: `${d.acceptedPercent}%(${d.accepted}/${d.total})`,
          }))}
          max={100}
          tone="success"
        />
      </section>
      <section className="card">
        <h2>課別</h2>
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">部局</th>
                <th scope="col">課</th>
                <th scope="col">課長</th>
                {STATE_ORDER.map((s) => (
                  <th key={s} scope="col" className="num">
                    {data.stateLabels[s]}
                  </th>
                ))}
                <th scope="col">完了率</th>
              </tr>
            </thead>
            <tbody>
              {data.sections.map((s) => (
                <tr key={s.sectionId}>
                  <td>{s.departmentName}</td>
                  <td>{s.sectionName}</td>
                  <td className="small">{s.chiefs.join('、') || '—'}</td>
                  {STATE_ORDER.map((st) => (
                    <td key={st} className="num">
                      {s.counts[st] || ''}
                    </td>
                  ))}
                  <td className="bar-cell">
                    <Bar value={s.acceptedPercent} max={100} tone="success" label={`${s.acceptedPercent}%`} />
                    <span className="small">{s.acceptedPercent}%</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {data.withoutApprover.length ? (
        <section className="card" aria-labelledby="without-approver">
          <h2 id="without-approver">承認者がいないエントリー</h2>
          <p className="small">
            次の段階を承認できる人がいません(部長・評価者・課長が未設定か、その全員が作成者です)。組織・利用者の設定か承認ルートを見直してください。
          </p>
          <ul>
            {data.withoutApprover.map((e) => (
              <li key={e.entryId}>
                <Link to={`/entries/${e.entryId}`}>
                  {itemNumber(e.number, e.subNumber)} {e.title}
                </Link>{' '}
                <span className="muted small">
                  {e.departmentName} {e.sectionName} / {e.stepLabel ?? '—'}の段階
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.lateSubmission.length ? (
        <section className="card">
          <h2>提出期限を過ぎた未提出</h2>
          {data.lateSubmission.map((s) => (
            <div key={s.sectionId}>
              <h3>
                {s.departmentName} {s.sectionName}
                <span className="muted small">(課長: {s.chiefs.join('、') || '—'})</span>
              </h3>
              <ul>
                {s.entries.map((e) => (
                  <li key={e.entryId}>
                    <Link to={`/entries/${e.entryId}`}>
                      {itemNumber(e.number, e.subNumber)} {e.title}
                    </Link>{' '}
                    <span className="muted small">{e.stateLabel}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}

const STATE_TONES: Record<string, string> = {
  accepted: 'success',
  in_review: 'warning',
  submitted: 'warning-light',
  returned: 'danger',
  draft: 'info',
  not_started: 'muted',
  not_submitted: 'danger-dark',
  not_approved: 'danger',
};

function StackedBar({ counts, total, labels }: { counts: Record<string, number>; total: number; labels: Record<string, string> }) {
  if (!total) return null;
  return (
    <>
      <div
        className="stacked-bar"
        role="img"
        aria-label={STATE_ORDER.filter((s) => counts[s])
          .map((s) => `${labels[s]} ${counts[s]}件`)
          .join('、')}
      >
        {STATE_ORDER.filter((s) => counts[s]).map((s) => (
          <div key={s} className={`bar-${STATE_TONES[s]}`} style={{ width: `${(counts[s] / total) * 100}%` }} title={`${labels[s]} ${counts[s]}`} />
        ))}
      </div>
      <ul className="legend">
        {STATE_ORDER.filter((s) => counts[s]).map((s) => (
          <li key={s}>
            <span className={`swatch bar-${STATE_TONES[s]}`} aria-hidden="true" />
            {labels[s]} {counts[s]}
          </li>
        ))}
      </ul>
    </>
  );
}
