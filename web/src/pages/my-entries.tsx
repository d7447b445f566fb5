import { ENTRY_STATES_SUBMITTED } from '../../../libs/domain/src/workflow/entry-state';
import { api } from '../api';
import { useActor } from '../auth';
import { Empty, ErrorMessage, Loading, PageHeader, StateBadge } from '../components/common';
import { daysUntil, formatDate, itemNumber } from '../format';
import { Link } from '../router';
import type { EntryRow } from '../types';
import { useLoad } from '../use-load';

function Deadline({ date, done }: { date: string; done: boolean }) {
  const days = daysUntil(date);
  const note = done ? '' : days < 0 ? `(${-days}日超過)` : days === 0 ? '(本日締切)' : days <= 7 ? `(あと${days}日)` : '';
  return (
    <span className={!done && days <= 3 ? 'deadline deadline-near' : 'deadline'}>
      {formatDate(date)} {note}
    </span>
  );
}

const DONE = new Set<string>(ENTRY_STATES_SUBMITTED);

/** 自課のエントリー: every entry of my section in open cycles, grouped by cycle, earliest deadline first. */
export function MyEntriesPage() {
  const actor = useActor();
  const { data, error, loading } = useLoad(() => api.get<EntryRow[]>('/entries/mine'), []);
  const groups = new Map<number, EntryRow[]>();
  for (const e of data ?? []) groups.set(e.cycleId, [...(groups.get(e.cycleId) ?? []), e]);
  const todo = (data ?? []).filter((e) => !DONE.has(e.state)).length;

  return (
    <>
      <PageHeader title="自課のエントリー">
        {data ? (
          <span className="muted">
            未提出 {todo} 件 / 全 {data.length} 件
          </span>
        ) : null}
      </PageHeader>
      <ErrorMessage message={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty>受付中のサイクルに、{actor.name}さんの課のエントリーはありません。</Empty> : null}
      {[...groups.values()].map((rows) => (
        <section key={rows[0].cycleId} className="card" aria-labelledby={`cycle-${rows[0].cycleId}`}>
          <div className="card-header">
            <h2 id={`cycle-${rows[0].cycleId}`}>{rows[0].cycleLabel}</h2>
            <span>
              提出期限 <Deadline date={rows[0].submissionDeadline} done={rows.every((r) => DONE.has(r.state))} />
            </span>
          </div>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">番号</th>
                <th scope="col">項目</th>
                <th scope="col">評価</th>
                <th scope="col">状態</th>
                <th scope="col">
                  <span className="visually-hidden">操作</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id} className={e.state === 'returned' ? 'row-attention' : undefined}>
                  <td className="num">{itemNumber(e.itemNumber, e.itemSubNumber)}</td>
                  <td>
                    <Link to={`/entries/${e.id}`}>{e.itemTitle}</Link>
                    {e.state === 'returned' && e.returnComment ? <div className="small text-danger">差戻し: {e.returnComment}</div> : null}
                  </td>
                  <td className="rating-cell">{e.rating ?? '—'}</td>
                  <td>
                    <StateBadge state={e.state} label={e.stateLabel} />
                  </td>
                  <td className="actions">
                    <Link className="btn btn-small" to={`/entries/${e.id}`}>
                      {DONE.has(e.state) ? '表示' : '入力'}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
