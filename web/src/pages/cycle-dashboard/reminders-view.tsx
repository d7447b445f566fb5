import { useState } from 'react';
import { MAIL_FINISHED, MAIL_KIND_LABELS, MAIL_LOG_KINDS, MAIL_STATUS_LABELS, type MailStatus } from '../../../../libs/domain/src/reminders/mail-vocabulary';
import { api, download } from '../../api';
import { Empty, ErrorMessage, Loading, Notice } from '../../components/common';
import { formatDate, formatDateTime } from '../../format';
import type { ReminderLog } from '../../types';
import { useLoad } from '../../use-load';

const SLOT_AUDIENCE: Record<string, string> = { submit: '担当課(提出の督促)', review: '承認者(確認の督促)' };
const kindLabel = (kind: string) => (MAIL_KIND_LABELS as Record<string, string>)[kind] ?? kind;

export function RemindersView({ id }: { id: number }) {
  const [recipient, setRecipient] = useState('');
  const [kind, setKind] = useState('');
  const query = new URLSearchParams({ ...(recipient ? { recipientUserId: recipient } : {}), ...(kind ? { kind } : {}) }).toString();
  const { data, error, reload } = useLoad(() => api.get<ReminderLog>(`/cycles/${id}/reminders${query ? `?${query}` : ''}`), [id, query]);
  const [message, setMessage] = useState<string | null>(null);
  const downloadCsv = () =>
    void download(`/cycles/${id}/reminders.csv${query ? `?${query}` : ''}`, `cycle-${id}-reminders.csv`).catch((err: Error) => setMessage(err.message));
  const filtered = Boolean(recipient || kind);
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
        <h2>送信状況{filtered ? '（絞り込み結果）' : ''}</h2>
        <div className="stat-row">
          {Object.entries(data.counts).map(([k, n]) => (
            <div key={k} className="stat">
              <span className={`stat-value${k === 'failed' && n ? ' text-danger' : ''}`}>{n}</span>
              <span className="stat-label">{MAIL_STATUS_LABELS[k as MailStatus] ?? k}</span>
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
      <section className="card" aria-labelledby="mail-log-heading">
        <h2 id="mail-log-heading">送信記録</h2>
        <form className="inline-form" aria-label="送信記録の絞り込み" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="mail-log-recipient">宛先</label>
            <select id="mail-log-recipient" value={recipient} onChange={(e) => setRecipient(e.target.value)}>
              <option value="">すべての宛先</option>
              {data.recipients.map((r) => (
                <option key={r.id} value={String(r.id)}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="mail-log-kind">種類</label>
            <select id="mail-log-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">すべての種類</option>
              {MAIL_LOG_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="btn" onClick={downloadCsv}>
            CSVをダウンロード
          </button>
        </form>
        <p className="small muted" role="status">
          {filtered ? `絞り込み結果: ${data.mails.length}件` : `全${data.mails.length}件`}
        </p>
        {data.mails.length === 0 ? (
          <Empty>{filtered ? '条件に合うメールはありません。' : 'このサイクルのリマインダーはまだ送信されていません。'}</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">送信日時</th>
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
                  <tr key={m.id} data-mail-id={m.id}>
                    <td className="small">
                      {/* When it actually went; before that, when it is planned to go. */}
                      {m.sentAt ? formatDateTime(m.sentAt) : <span className="muted">予定 {formatDateTime(m.sendAt)}</span>}
                    </td>
                    <td>{m.recipientName}</td>
                    <td>{kindLabel(m.kind)}</td>
                    <td className="small">{m.subject ?? '—'}</td>
                    <td>
                      <span className={m.status === 'failed' ? 'text-danger' : undefined}>{MAIL_STATUS_LABELS[m.status] ?? m.status}</span>
                      {m.lastError ? <div className="small text-danger">{m.lastError}</div> : null}
                    </td>
                    <td>
                      {(MAIL_FINISHED as readonly string[]).includes(m.status) ? (
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
