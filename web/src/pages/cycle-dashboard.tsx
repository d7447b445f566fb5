import { useState } from 'react';
import { api, download, openHtml } from '../api';
import { Bar, Empty, ErrorMessage, Loading, Notice, PageHeader, StateBadge } from '../components/common';
import { CycleActions } from '../components/cycle-actions';
import { formatDate, formatDateTime, itemNumber } from '../format';
import { Link } from '../router';
import type { Completeness, Cycle, EntryRow, ReminderLog, Summary } from '../types';
import { useLoad } from '../use-load';

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

  const get = async (what: 'xlsx' | 'csv' | 'html') => {
    setDownloadError(null);
    try {
      if (what === 'html') await openHtml(`/cycles/${id}/report.html`);
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
            <dt>提出期限</dt>
            <dd>{formatDate(c.submissionDeadline)}</dd>
          </div>
          <div>
            <dt>確認期限</dt>
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
          </div>
        </div>
        <ErrorMessage message={downloadError} />
      </section>

      <div className="tabs" role="tablist" aria-label="サイクルの情報">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'completeness' ? <CompletenessView key={version} id={id} /> : null}
        {tab === 'summary' ? <SummaryView key={version} id={id} /> : null}
        {tab === 'entries' ? <EntriesView key={version} id={id} /> : null}
        {tab === 'reminders' ? <RemindersView id={id} /> : null}
      </div>
    </>
  );
}

const STATE_ORDER = ['accepted', 'in_review', 'submitted', 'returned', 'draft', 'not_started', 'not_submitted'];

function CompletenessView({ id }: { id: number }) {
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
            <span className="stat-label">承認済み({t.accepted}/{t.total})</span>
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
        <ChartRows rows={data.departments.map((d) => ({ key: d.departmentId, label: d.departmentName, value: d.acceptedPercent, text: `${d.acceptedPercent}%(${d.accepted}/${d.total})` }))} max={100} tone="success" />
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
};

function StackedBar({ counts, total, labels }: { counts: Record<string, number>; total: number; labels: Record<string, string> }) {
  if (!total) return null;
  return (
    <>
      <div className="stacked-bar" role="img" aria-label={STATE_ORDER.filter((s) => counts[s]).map((s) => `${labels[s]} ${counts[s]}件`).join('、')}>
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

function ChartRows({ rows, max, tone }: { rows: { key: string | number; label: string; value: number; text: string }[]; max: number; tone: string }) {
  if (!rows.length) return <Empty>データがありません。</Empty>;
  return (
    <div className="chart">
      {rows.map((r) => (
        <div key={r.key} className="chart-row">
          <span className="chart-label">{r.label}</span>
          <Bar value={r.value} max={max} tone={tone} label={r.text} />
          <span className="chart-value">{r.text}</span>
        </div>
      ))}
    </div>
  );
}

function SummaryView({ id }: { id: number }) {
  const [acceptedOnly, setAcceptedOnly] = useState(false);
  const { data, error } = useLoad(() => api.get<Summary>(`/cycles/${id}/summary?acceptedOnly=${acceptedOnly}`), [id, acceptedOnly]);
  return (
    <>
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={acceptedOnly} onChange={(e) => setAcceptedOnly(e.target.checked)} />
          承認済みのみ集計する
        </label>
      </div>
      <ErrorMessage message={error} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <section className="card">
            <h2>
              評価別の件数 <span className="muted small">({data.scale.name}・全{data.total}件)</span>
            </h2>
            <ChartRows
              rows={[
                ...data.ratings.map((r) => ({ key: r.value, label: `${r.symbol} ${r.label}`, value: r.count, text: `${r.count}件` })),
                ...(data.unrated ? [{ key: '_', label: '未評価', value: data.unrated, text: `${data.unrated}件` }] : []),
              ]}
              max={Math.max(1, ...data.ratings.map((r) => r.count), data.unrated)}
              tone="primary"
            />
          </section>
          <section className="card">
            <h2>部局別</h2>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">部局</th>
                    {data.ratings.map((r) => (
                      <th key={r.value} scope="col" className="num" title={r.label}>
                        {r.symbol}
                      </th>
                    ))}
                    <th scope="col" className="num">
                      未評価
                    </th>
                    <th scope="col" className="num">
                      計
                    </th>
                    <th scope="col">内訳</th>
                  </tr>
                </thead>
                <tbody>
                  {data.byDepartment.map((d) => (
                    <tr key={d.departmentId}>
                      <td>{d.departmentName}</td>
                      {d.ratings.map((r) => (
                        <td key={r.value} className="num">
                          {r.count}
                        </td>
                      ))}
                      <td className="num">{d.unrated}</td>
                      <td className="num">{d.total}</td>
                      <td className="bar-cell">
                        <div className="stacked-bar small-bar" role="img" aria-label={d.ratings.map((r) => `${r.symbol} ${r.count}件`).join('、')}>
                          {d.ratings.map((r) =>
                            r.count ? <div key={r.value} className={`bar-ordinal-${r.ordinal}`} style={{ width: `${(r.count / Math.max(1, d.total)) * 100}%` }} /> : null,
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  );
}

function EntriesView({ id }: { id: number }) {
  const [state, setState] = useState('');
  const qs = new URLSearchParams({ pageSize: '500', ...(state ? { state } : {}) });
  const { data, error } = useLoad(() => api.get<{ total: number; items: EntryRow[] }>(`/cycles/${id}/entries?${qs}`), [id, state]);
  return (
    <section className="card">
      <div className="toolbar">
        <label htmlFor="entry-state-filter">状態</label>
        <select id="entry-state-filter" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">すべて</option>
          {STATE_ORDER.map((s) => (
            <option key={s} value={s}>
              {{ accepted: '承認済', in_review: '審査中', submitted: '提出済', returned: '差戻し', draft: '下書き', not_started: '未着手', not_submitted: '未提出' }[s]}
            </option>
          ))}
        </select>
        {data ? <span className="muted">{data.total}件</span> : null}
      </div>
      <ErrorMessage message={error} />
      {!data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">番号</th>
                <th scope="col">項目</th>
                <th scope="col">課</th>
                <th scope="col">評価</th>
                <th scope="col">状態</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.id}>
                  <td className="num">{itemNumber(e.itemNumber, e.itemSubNumber)}</td>
                  <td>
                    <Link to={`/entries/${e.id}`}>{e.itemTitle}</Link>
                  </td>
                  <td>{e.sectionName}</td>
                  <td className="rating-cell">{e.rating ?? '—'}</td>
                  <td>
                    <StateBadge state={e.state} label={e.stateLabel} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const MAIL_STATUS: Record<string, string> = {
  pending: '送信待ち',
  enqueued: '送信準備中',
  sending: '送信中',
  sent: '送信済み',
  failed: '失敗',
  cancelled: '取消',
};
const MAIL_KIND: Record<string, string> = { digest: '督促', returned: '差戻し通知' };
const SLOT_AUDIENCE: Record<string, string> = { submit: '担当課(提出の督促)', review: '承認者(確認の督促)' };

function RemindersView({ id }: { id: number }) {
  const { data, error, reload } = useLoad(() => api.get<ReminderLog>(`/cycles/${id}/reminders`), [id]);
  const [message, setMessage] = useState<string | null>(null);
  const resend = async (mailId: string) => {
    try {
      await api.post(`/reminders/${mailId}/resend`);
      setMessage('再送を登録しました。');
      await reload();
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  if (error) return <ErrorMessage message={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <Notice message={message} />
      <section className="card">
        <h2>送信状況</h2>
        <div className="stat-row">
          {Object.entries(data.counts).map(([k, n]) => (
            <div key={k} className="stat">
              <span className={`stat-value${k === 'failed' && n ? ' text-danger' : ''}`}>{n}</span>
              <span className="stat-label">{MAIL_STATUS[k] ?? k}</span>
            </div>
          ))}
        </div>
      </section>
      {data.slots.length ? (
        <section className="card">
          <h2>送信予定</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">送信日時</th>
                <th scope="col">対象</th>
                <th scope="col">期限</th>
                <th scope="col">状態</th>
              </tr>
            </thead>
            <tbody>
              {data.slots.map((s) => (
                <tr key={s.id}>
                  <td>{formatDateTime(s.sendAt)}</td>
                  <td>{SLOT_AUDIENCE[s.audience] ?? s.audience}</td>
                  <td>{formatDate(s.deadline)}</td>
                  <td>{s.status === 'fanned_out' ? '配信済み' : '予定'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section className="card">
        <h2>送信記録</h2>
        {data.mails.length === 0 ? (
          <Empty>このサイクルのリマインダーはまだ送信されていません。</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">送信予定</th>
                  <th scope="col">宛先</th>
                  <th scope="col">種類</th>
                  <th scope="col">件名</th>
                  <th scope="col">状態</th>
                  <th scope="col">
                    <span className="visually-hidden">操作</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.mails.map((m) => (
                  <tr key={m.id}>
                    <td className="small">{formatDateTime(m.sendAt)}</td>
                    <td>{m.recipientName}</td>
                    <td>{MAIL_KIND[m.kind] ?? m.kind}</td>
                    <td className="small">{m.subject ?? '—'}</td>
                    <td>
                      <span className={m.status === 'failed' ? 'text-danger' : undefined}>{MAIL_STATUS[m.status] ?? m.status}</span>
                      {m.lastError ? <div className="small text-danger">{m.lastError}</div> : null}
                    </td>
                    <td>
                      {['failed', 'cancelled', 'sent'].includes(m.status) ? (
                        <button type="button" className="btn btn-small" onClick={() => void resend(m.id)}>
                          再送
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
