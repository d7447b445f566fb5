import type { ReactNode } from 'react';

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children ? <div className="page-header-actions">{children}</div> : null}
    </div>
  );
}

/** A refused action's message; focusable, so a form without a field to blame can send focus here. */
export function ErrorMessage({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert" id={id} tabIndex={-1}>
      {message}
    </div>
  );
}

export function Notice({ message, kind = 'info' }: { message: string | null | undefined; kind?: 'info' | 'success' | 'warning' }) {
  if (!message) return null;
  return (
    <div className={`alert alert-${kind}`} role="status">
      {message}
    </div>
  );
}

export function Loading({ what = '読み込み中' }: { what?: string }) {
  return (
    <p className="loading" aria-live="polite">
      {what}…
    </p>
  );
}

const STATE_CLASSES: Record<string, string> = {
  not_started: 'muted',
  draft: 'info',
  submitted: 'warning',
  in_review: 'warning',
  returned: 'danger',
  accepted: 'success',
  not_submitted: 'danger',
  not_approved: 'danger',
  open: 'success',
  closed: 'muted',
  published: 'info',
};

export function StateBadge({ state, label }: { state: string; label: string }) {
  return <span className={`badge badge-${STATE_CLASSES[state] ?? 'muted'}`}>{label}</span>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A horizontal bar as a share of `max`; the number is always printed beside it. */
export function Bar({ value, max, label, tone = 'primary' }: { value: number; max: number; label?: string; tone?: string }) {
  const pct = max > 0 ? Math.round((value / max) * 1000) / 10 : 0;
  return (
    <div className="bar" role="img" aria-label={label ?? `${value}`}>
      <div className={`bar-fill bar-${tone}`} style={{ width: `${Math.min(100, pct)}%` }} />
    </div>
  );
}
