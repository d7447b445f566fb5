import { useState, type FormEvent } from 'react';
import {
  NOTIFICATION_MODES,
  NOTIFICATION_MODE_HINTS,
  NOTIFICATION_MODE_LABELS,
  type NotificationMode,
} from '../../../libs/domain/src/reminders/notification-mode';
import { api } from '../api';
import { Empty, ErrorMessage, Loading, Notice } from '../components/common';
import { NOTIFICATIONS_CHANGED_EVENT } from '../components/notification-bell';
import { formatDateTime } from '../format';
import type { NotificationItem } from '../types';
import { navigate } from '../router';
import { useLoad } from '../use-load';

const changed = () => window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED_EVENT));

/** How I receive notices: each at once, or one mail a day at the send hour. */
function NotificationSettings() {
  const { data, error, setData } = useLoad(() => api.get<{ mode: NotificationMode }>('/notifications/settings'), []);
  const [mode, setMode] = useState<NotificationMode | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = mode ?? data?.mode ?? null;

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setSaveError(null);
    setNotice(null);
    try {
      setData(await api.put<{ mode: NotificationMode }>('/notifications/settings', { mode: chosen }));
      setNotice(`「${NOTIFICATION_MODE_LABELS[chosen]}」に設定しました。`);
    } catch (err) {
      setSaveError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="notification-settings-title">
      <h2 id="notification-settings-title">メールの受け取り方</h2>
      <ErrorMessage message={error ?? saveError} />
      <Notice message={notice} kind="success" />
      {!data ? (
        <Loading />
      ) : (
        <form onSubmit={save}>
          <fieldset className="notification-modes">
            <legend>お知らせのメールを</legend>
            {NOTIFICATION_MODES.map((m) => (
              <label key={m}>
                <input type="radio" name="notification-mode" value={m} checked={chosen === m} onChange={() => setMode(m)} /> {NOTIFICATION_MODE_LABELS[m]}
                <br />
                <span className="muted small">{NOTIFICATION_MODE_HINTS[m]}</span>
              </label>
            ))}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || chosen === data.mode}>
              保存する
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** My notifications (the same notices as my mails), newest first; opening one marks it read. */
export function NotificationsPage() {
  const { data, error, reload } = useLoad(() => api.get<{ unread: number; items: NotificationItem[] }>('/notifications'), []);
  const [actionError, setActionError] = useState<string | null>(null);

  async function open(item: NotificationItem) {
    try {
      if (!item.read) await api.post(`/notifications/${item.id}/read`);
      changed();
    } catch (err) {
      setActionError((err as Error).message);
    }
    navigate(item.path);
  }

  async function readAll() {
    try {
      await api.post('/notifications/read-all');
      changed();
      await reload();
    } catch (err) {
      setActionError((err as Error).message);
    }
  }

  return (
    <>
      <div className="page-header">
        <h1>通知</h1>
      </div>
      <section className="card" aria-labelledby="notification-list-title">
        <h2 id="notification-list-title">お知らせ{data ? `（未読 ${data.unread}件）` : ''}</h2>
        <ErrorMessage message={error ?? actionError} />
        {!data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <Empty>お知らせはまだありません。</Empty>
        ) : (
          <>
            <ul className="notification-list">
              {data.items.map((item) => (
                <li key={item.id} className={item.read ? undefined : 'unread'}>
                  <a
                    href={`#${item.path}`}
                    onClick={(e) => {
                      e.preventDefault();
                      void open(item);
                    }}
                  >
                    {item.read ? '' : '【未読】'}
                    {item.title}
                  </a>
                  <span className="notification-meta muted small">{formatDateTime(item.at)}</span>
                </li>
              ))}
            </ul>
            {data.unread > 0 && (
              <p>
                <button type="button" className="btn btn-small" onClick={() => void readAll()}>
                  すべて既読にする
                </button>
              </p>
            )}
          </>
        )}
      </section>
      <NotificationSettings />
    </>
  );
}
