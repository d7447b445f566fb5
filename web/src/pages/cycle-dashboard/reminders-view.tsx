import { useState } from 'react';
import { MAIL_FINISHED } from '../../../../libs/domain/src/reminders/mail-vocabulary';
import { api } from '../../api';
import { Empty, ErrorMessage, Loading, Notice } from '../../components/common';
import { formatDate, formatDateTime } from '../../format';
import type { ReminderLog } from '../../types';
import { useLoad } from '../../use-load';

const MAIL_STATUS: Record<string, string> = {
  pending: '送信待ち',
  enqueued: '送信準備中',
  sending: '送信中',
  sent: '送信済み',
  failed: '失敗',
  cancelled: '取消',
  bundled: 'まとめて送信',
};
const MAIL_KIND: Record<string, string> = { digest: '督促', returned: '差戻し通知', notice: 'お知らせ' };
const SLOT_AUDIENCE: Record<string, string> = { submit: '担当課(提出の督促)', review: '承認者(確認の督促)' };

export function RemindersView({ id }: { id: number }) {
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
                  <tr key={m.id}>
                    <td className="small">
                      {/* When it actually went; before that, when it is planned to go. */}
                      {m.sentAt ? formatDateTime(m.sentAt) : <span className="muted">予定 {formatDateTime(m.sendAt)}</span>}
                    </td>
                    <td>{m.recipientName}</td>
                    <td>{MAIL_KIND[m.kind] ?? m.kind}</td>
                    <td className="small">{m.subject ?? '—'}</td>
                    <td>
                      <span className={m.status === 'failed' ? 'text-danger' : undefined}>{MAIL_STATUS[m.status] ?? m.status}</span>
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
