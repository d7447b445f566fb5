import { useState } from 'react';
import { api } from '../api';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StateBadge } from '../components/common';
import { daysUntil, formatDate, formatDateTime, itemNumber } from '../format';
import { Link } from '../router';
import type { Inbox, InboxEntry } from '../types';
import { useLoad } from '../use-load';
import { TERMS } from '../../../libs/domain/src/glossary/glossary';

interface BulkResult {
  id: number;
  ok: boolean;
  status: number;
  message: string;
}

/** The next page appended to what is shown: a cycle or section that goes on gets the further entries. */
function appendPage(shown: Inbox, next: Inbox): Inbox {
  const groups = shown.groups.map((g) => ({ ...g, sections: g.sections.map((s) => ({ ...s, entries: [...s.entries] })) }));
  for (const g of next.groups) {
    const group = groups.find((x) => x.cycleId === g.cycleId);
    if (!group) {
      groups.push(g);
      continue;
    }
    for (const s of g.sections) {
      const section = group.sections.find((x) => x.sectionId === s.sectionId);
      if (section) section.entries.push(...s.entries.filter((e) => !section.entries.some((x) => x.id === e.id)));
      else group.sections.push(s);
    }
  }
  return { ...next, groups };
}

/** 承認待ち: entries waiting for my step, by cycle and section, a page at a time, with bulk approval. */
export function InboxPage() {
  const { data, error, loading, reload, setData } = useLoad(() => api.get<Inbox>('/approvals/inbox'), []);
  const [loadingMore, setLoadingMore] = useState(false);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: number; failed: (BulkResult & { title: string })[] } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const all: InboxEntry[] = data ? data.groups.flatMap((g) => g.sections.flatMap((s) => s.entries)) : [];
  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const toggleMany = (ids: number[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    setSelected(next);
  };

  async function loadMore() {
    if (!data?.nextCursor) return;
    setLoadingMore(true);
    setActionError(null);
    try {
      const next = await api.get<Inbox>(`/approvals/inbox?cursor=${encodeURIComponent(data.nextCursor)}`);
      setData(appendPage(data, next));
    } catch (err) {
      setActionError((err as Error).message);
    } finally {
      setLoadingMore(false);
    }
  }

  async function bulkApprove() {
    const items = all.filter((e) => selected.has(e.id)).map((e) => ({ id: e.id, version: e.version }));
    if (!items.length) return;
    if (!window.confirm(`${items.length}件をまとめて承認します。よろしいですか?`)) return;
    setBusy(true);
    setActionError(null);
    try {
      const results = await api.post<BulkResult[]>('/approvals/bulk-approve', { items });
      const titles = new Map(all.map((e) => [e.id, `${itemNumber(e.itemNumber, e.itemSubNumber)} ${e.itemTitle}(${e.sectionName})`]));
      setResult({
        ok: results.filter((r) => r.ok).length,
        failed: results.filter((r) => !r.ok).map((r) => ({ ...r, title: titles.get(r.id) ?? `#${r.id}` })),
      });
      setSelected(new Set());
      await reload();
    } catch (err) {
      setActionError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="承認待ち">
        {data ? <span className="muted">{data.total} 件</span> : null}
        <button type="button" className="btn btn-primary" disabled={busy || selected.size === 0} onClick={() => void bulkApprove()}>
          選択した{selected.size ? ` ${selected.size} 件` : ''}を一括承認
        </button>
      </PageHeader>
      <ErrorMessage message={error ?? actionError} />
      {data?.delegations.length ? (
        <div className="alert alert-info delegation-banner" role="status">
          {data.delegations.map((d) => (
            <p key={`${d.principalUserId}-${d.startsOn}`}>
              <strong>
                代決（{d.principalPost ? `${d.principalPost} ` : ''}
                {d.principalName}）{d.periodText}
              </strong>{' '}
              <span className="small">
                {d.scopeText}。この期間、{d.principalName}さんの承認を代わりに行えます。
              </span>
            </p>
          ))}
        </div>
      ) : null}
      {result ? (
        <Notice
          kind={result.failed.length ? 'warning' : 'success'}
          message={`${result.ok}件を承認しました。${result.failed.length ? `${result.failed.length}件は承認できませんでした。` : ''}`}
        />
      ) : null}
      {result?.failed.length ? (
        <ul className="alert alert-error">
          {result.failed.map((f) => (
            <li key={f.id}>
              {f.title}: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {loading && !data ? <Loading /> : null}
      {data && data.total === 0 ? <Empty>承認待ちのエントリーはありません。</Empty> : null}
      {data?.groups.map((g) => (
        <section key={g.cycleId} className="card" aria-labelledby={`inbox-cycle-${g.cycleId}`}>
          <div className="card-header">
            <h2 id={`inbox-cycle-${g.cycleId}`}>{g.cycleLabel}</h2>
            {g.sections[0]?.entries[0] ? (
              <span className={daysUntil(g.sections[0].entries[0].reviewDeadline) < 0 ? 'text-danger' : 'muted'}>
                {TERMS.reviewDeadline} {formatDate(g.sections[0].entries[0].reviewDeadline)}
                {daysUntil(g.sections[0].entries[0].reviewDeadline) < 0 ? '(期限超過)' : ''}
              </span>
            ) : null}
          </div>
          {g.sections.map((s) => {
            const ids = s.entries.map((e) => e.id);
            const allOn = ids.every((id) => selected.has(id));
            return (
              <div key={s.sectionId} className="inbox-section">
                <h3>
                  {s.sectionName} <span className="muted small">{s.count}件</span>
                </h3>
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col" className="check">
                        <input
                          type="checkbox"
                          aria-label={`${s.sectionName}をすべて選択`}
                          checked={allOn}
                          onChange={(e) => toggleMany(ids, e.target.checked)}
                        />
                      </th>
                      <th scope="col">番号</th>
                      <th scope="col">項目</th>
                      <th scope="col">評価</th>
                      <th scope="col">段階</th>
                      <th scope="col">提出日時</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.entries.map((e) => (
                      <tr key={e.id}>
                        <td className="check">
                          <input
                            type="checkbox"
                            aria-label={`${itemNumber(e.itemNumber, e.itemSubNumber)} ${e.itemTitle}を選択`}
                            checked={selected.has(e.id)}
                            onChange={(ev) => toggle(e.id, ev.target.checked)}
                          />
                        </td>
                        <td className="num">{itemNumber(e.itemNumber, e.itemSubNumber)}</td>
                        <td>
                          <Link to={`/entries/${e.id}`}>{e.itemTitle}</Link>
                          {e.acting && e.onBehalfOf ? <span className="badge badge-info">{e.onBehalfOf.name}さんの代決</span> : null}
                          {(e.notes ?? []).map((n) => (
                            <div key={n} className="small muted">
                              {n}
                            </div>
                          ))}
                        </td>
                        <td className="rating-cell">{e.rating ?? '—'}</td>
                        <td>
                          <StateBadge state={e.state} label={e.stepText || e.stepLabel || e.stateLabel} />
                        </td>
                        <td className="small">{formatDateTime(e.submittedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          })}
        </section>
      ))}
      {data?.nextCursor ? (
        <p className="inbox-more">
          <span className="muted">
            {all.length} / {data.total} 件を表示
          </span>{' '}
          <button type="button" className="btn" disabled={loadingMore} onClick={() => void loadMore()}>
            {loadingMore ? '読み込み中…' : 'さらに表示'}
          </button>
        </p>
      ) : null}
    </>
  );
}
