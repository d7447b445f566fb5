import { useState, type KeyboardEvent } from 'react';
import { api, download, openHtml } from '../api';
import { ErrorMessage, Loading, Notice, PageHeader, StateBadge } from '../components/common';
import { CycleActions } from '../components/cycle-actions';
import { ExternalReviewers } from './cycle-dashboard/external-reviewers';
import { formatDate, formatDateTime } from '../format';
import { Link } from '../router';
import type { Cycle } from '../types';
import { useLoad } from '../use-load';
import { CompletenessView } from './cycle-dashboard/completeness-view';
import { EntriesView } from './cycle-dashboard/entries-view';
import { RemindersView } from './cycle-dashboard/reminders-view';
import { SummaryView } from './cycle-dashboard/summary-view';
import { TERMS } from '../../../libs/domain/src/glossary/glossary';

type Tab = 'completeness' | 'summary' | 'entries' | 'reminders';
const TABS: { id: Tab; label: string }[] = [
  { id: 'completeness', label: '提出状況' },
  { id: 'summary', label: '集計' },
  { id: 'entries', label: 'エントリー一覧' },
  { id: 'reminders', label: 'リマインダー' },
];

/** One cycle for the planning division: lifecycle, completeness, summary charts, exports, reminders. */
export function CycleDashboardPage({ id }: { id: number }) {
  const cycle = useLoad(() => api.get<Cycle>(`/cycles/${id}`), [id]);
  const [tab, setTab] = useState<Tab>('completeness');
  const [notice, setNotice] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  if (cycle.error && !cycle.data) return <ErrorMessage message={cycle.error} />;
  if (!cycle.data) return <Loading />;
  const c = cycle.data;

  // The tab pattern: one Tab stop for the list, arrows (and Home/End) move and select.
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const at = TABS.findIndex((t) => t.id === tab);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = TABS[(to + TABS.length) % TABS.length];
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  const get = async (what: 'xlsx' | 'csv' | 'html' | 'record') => {
    setDownloadError(null);
    try {
      if (what === 'html') await openHtml(`/cycles/${id}/report.html`);
      else if (what === 'record') await download(`/cycles/${id}/record.zip`, `cycle-${id}-record.zip`);
      else await download(`/cycles/${id}/export.${what}`, `cycle-${id}.${what}`);
    } catch (err) {
      setDownloadError((err as Error).message);
    }
  };

  return (
    <>
      <nav className="breadcrumb" aria-label="パンくずリスト">
        <Link to="/cycles">サイクル管理</Link>
        <span aria-hidden="true"> › </span>
        <span>{c.label}</span>
      </nav>
      <PageHeader title={c.label}>
        <StateBadge state={c.state} label={c.stateLabel} />
      </PageHeader>
      <Notice message={notice} kind="success" />
      <section className="card cycle-summary">
        <dl className="facts">
          <div>
            <dt>対象期間</dt>
            <dd>
              {formatDate(c.periodStart)} 〜 {formatDate(c.periodEnd)}
            </dd>
          </div>
          <div>
            <dt>{TERMS.submissionDeadline}</dt>
            <dd>{formatDate(c.submissionDeadline)}</dd>
          </div>
          <div>
            <dt>{TERMS.reviewDeadline}</dt>
            <dd>{formatDate(c.reviewDeadline)}</dd>
          </div>
          {c.closedAt ? (
            <div>
              <dt>締切日時</dt>
              <dd>{formatDateTime(c.closedAt)}</dd>
            </div>
          ) : null}
        </dl>
        <div className="cycle-tools">
          <CycleActions
            cycle={c}
            onDone={async (message) => {
              setNotice(message);
              await cycle.reload();
              setVersion((v) => v + 1);
            }}
          />
          <div className="button-row" aria-label="出力">
            <button type="button" className="btn btn-small" onClick={() => void get('xlsx')}>
              Excel出力
            </button>
            <button type="button" className="btn btn-small" onClick={() => void get('csv')}>
              CSV出力
            </button>
            <button type="button" className="btn btn-small" onClick={() => void get('html')}>
              印刷用報告書
            </button>
            {c.state === 'closed' || c.state === 'published' ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void get('record')}
                title="報告書PDF・一覧・承認記録・監査ログ抜粋とチェックサム(公文書として保存)"
              >
                記録(ZIP)
              </button>
            ) : null}
          </div>
        </div>
        <ErrorMessage message={downloadError} />
      </section>
      <ExternalReviewers cycleId={id} />

      <div className="tabs" role="tablist" aria-label="サイクルの情報">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={tab === t.id ? `panel-${t.id}` : undefined}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
            onKeyDown={onTabKey}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel" tabIndex={0}>
        {tab === 'completeness' ? <CompletenessView key={version} id={id} /> : null}
        {tab === 'summary' ? <SummaryView key={version} id={id} /> : null}
        {tab === 'entries' ? <EntriesView key={version} id={id} /> : null}
        {tab === 'reminders' ? <RemindersView id={id} /> : null}
      </div>
    </>
  );
}
