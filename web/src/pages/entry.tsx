import { useState } from 'react';
import { api } from '../api';
import { useActor } from '../auth';
import { ErrorMessage, Loading, Notice, StateBadge } from '../components/common';
import { EntryForm } from '../components/entry-form';
import { EntryReadonly } from '../components/entry-readonly';
import { ItemAttributes } from '../components/item-attributes';
import { ScopeValuesPanel } from '../components/scope-values-panel';
import { PreviousEntry } from '../components/previous-entry';
import { ReviewPanel } from '../components/review-panel';
import { daysUntil, formatDate, formatDateTime, itemNumber } from '../format';
import { Link } from '../router';
import type { EntryActions, EntryDetail } from '../types';
import { EntryLifecycle } from '../components/entry-lifecycle';
import { ExternalReviewCard } from '../components/external-review-card';
import { useLoad } from '../use-load';

/**
 * One entry, the target of mail links: the form for its section while it can be edited,
 * the approval view for whoever's step it is, a read-only view for everyone else.
 */
export function EntryPage({ id }: { id: number }) {
  const actor = useActor();
  const [notice, setNotice] = useState<string | null>(null);
  // After an action the form starts again from the entry as the API now has it.
  const [formKey, setFormKey] = useState(0);
  const detail = useLoad(() => api.get<EntryDetail>(`/entries/${id}`), [id]);
  // What I may do here is the API's answer (GET /entries/:id/actions), not a rule of the page's own.
  const pending = useLoad(() => api.get<EntryActions>(`/entries/${id}/actions`), [id]);

  if (detail.error && !detail.data) return <ErrorMessage message={detail.error} />;
  if (!detail.data) return <Loading />;
  const d = detail.data;
  const e = d.entry;
  const editable = !!pending.data?.actions.includes('save');
  const reviewing = !editable && !!pending.data?.approval;
  const days = daysUntil(e.submissionDeadline);

  const refresh = async (message: string) => {
    setNotice(message);
    await Promise.all([detail.reload(), pending.reload()]);
    setFormKey((k) => k + 1);
  };

  return (
    <>
      <nav className="breadcrumb" aria-label="パンくずリスト">
        {editable || actor.sectionId === e.sectionId ? <Link to="/mine">自課のエントリー</Link> : <Link to="/inbox">承認待ち</Link>}
        <span aria-hidden="true"> › </span>
        <span>{e.cycleLabel}</span>
      </nav>
      <div className="page-header entry-header">
        <div>
          <h1>
            <span className="item-number">{itemNumber(e.itemNumber, e.itemSubNumber)}</span> {e.itemTitle}
          </h1>
          <p className="meta">
            <span>{e.sectionName}</span>
            <span>{d.template.name}</span>
            <span>
              提出期限 {formatDate(e.submissionDeadline)}
              {editable && days >= 0 && days <= 7 ? <strong className="text-danger">(あと{days}日)</strong> : null}
              {editable && days < 0 ? <strong className="text-danger">({-days}日超過)</strong> : null}
            </span>
            {e.submittedAt ? <span>提出 {formatDateTime(e.submittedAt)}</span> : null}
          </p>
        </div>
        <div className="entry-state">
          <StateBadge state={e.state} label={e.stateLabel} />
          {e.state === 'submitted' || e.state === 'in_review' ? (
            <span className="small muted">
              {pending.data?.step?.text ?? d.template.approvalRoute[e.currentStep]?.label ?? ''}の確認待ち({e.currentStep + 1}/{d.template.approvalRoute.length}
              )
            </span>
          ) : null}
          {pending.data?.step?.parties.length ? (
            <ul className="small co-parties" aria-label="合議の相手">
              {pending.data.step.parties.map((p) => (
                <li key={p.label}>
                  {p.label}: {p.approved ? '承認済' : '承認待ち'}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
      {e.state === 'not_approved' ? (
        <div className="alert alert-returned" role="status">
          承認の途中でサイクルが強制締切されたため未承認です(「{d.template.approvalRoute[e.currentStep]?.label ?? ''}」の確認待ちでした)。
        </div>
      ) : null}
      {(e.state === 'submitted' || e.state === 'in_review') && e.routeNotes?.length ? (
        <ul className="small muted route-notes" aria-label="承認ルートの注記">
          {e.routeNotes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}

      {e.state === 'returned' && e.returnComment ? (
        <div className="alert alert-returned" role="alert" aria-labelledby="return-title">
          <h2 id="return-title">差戻しコメント</h2>
          <p className="return-comment">{e.returnComment}</p>
          <p className="small">指摘を確認して修正し、もう一度提出してください。項目ごとの指摘は各欄の横に表示しています。</p>
        </div>
      ) : null}
      <Notice message={notice} kind="success" />
      <ErrorMessage message={detail.error} />

      <div className="entry-layout">
        <div className="entry-main">
          <ScopeValuesPanel data={d.scopes.department} onSaved={detail.reload} />
          <ScopeValuesPanel data={d.scopes.section} onSaved={detail.reload} />
          {editable ? (
            <EntryForm key={formKey} detail={d} onReload={detail.reload} onSubmitted={() => refresh('提出しました。承認者に承認依頼のメールが送られます。')} />
          ) : (
            <EntryReadonly detail={d} />
          )}
          {reviewing && pending.data ? <ReviewPanel detail={d} pending={pending.data.approval!} onDone={(message) => refresh(message)} /> : null}
          <ExternalReviewCard entryId={e.id} />
          {pending.data ? <EntryLifecycle entryId={e.id} version={e.version} actions={pending.data.actions} onDone={refresh} /> : null}
        </div>
        <aside className="entry-side" aria-label="参考情報">
          <ItemAttributes detail={d} />
          <PreviousEntry detail={d} />
          {d.item.content || d.item.sectionContent ? (
            <section className="card side-card">
              <h2>取組内容</h2>
              {d.item.sectionContent ? <p className="pre">{d.item.sectionContent}</p> : <p className="pre">{d.item.content}</p>}
              {d.item.sectionTargetDateText || d.item.targetDateText ? (
                <p className="small muted">目標時期: {d.item.sectionTargetDateText || d.item.targetDateText}</p>
              ) : null}
            </section>
          ) : null}
          {d.history.length ? (
            <section className="card side-card" aria-labelledby="history-title">
              <h2 id="history-title">更新履歴</h2>
              <ol className="history">
                {d.history.slice(0, 12).map((h, i) => (
                  <li key={`${h.at}-${i}`}>
                    <span className="small">{formatDateTime(h.at)}</span> <strong>{h.label}</strong> {h.actorName ?? ''}
                    {h.onBehalfOfName ? <span className="small">（{h.onBehalfOfName}の代決）</span> : null}
                    {h.comment ? <div className="small pre history-comment">{h.comment}</div> : null}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
        </aside>
      </div>
    </>
  );
}
