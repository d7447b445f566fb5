import { useEffect, useState } from 'react';
import { api } from '../api';
import { Link } from '../router';
import '../notifications.css';

/** Fired by the notifications page when it marks something read, so the bell follows at once. */
export const NOTIFICATIONS_CHANGED_EVENT = 'hyoka:notifications-changed';
const REFRESH_MS = 60_000;

/** The bell in the header: how many of my notifications are unread, linking to the list. */
export function NotificationBell({ path }: { path: string }) {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .get<{ unread: number }>('/notifications/unread-count')
        .then((r) => live && setUnread(r.unread))
        .catch(() => undefined);
    void load();
    const timer = setInterval(load, REFRESH_MS);
    window.addEventListener(NOTIFICATIONS_CHANGED_EVENT, load);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED_EVENT, load);
    };
  }, [path]);
  // The visible count is a word of the name (WCAG 2.5.3, label in name): 「通知 未読 2 件」.
  const label = unread ? `通知 未読 ${unread > 99 ? '99+' : unread} 件` : '通知 未読なし';
  return (
    <Link to="/notifications" className="notification-bell" aria-label={label} title={label} aria-current={path === '/notifications' ? 'page' : undefined}>
      <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {unread ? (
        <span className="notification-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Link>
  );
}
