/** Who a reminder slot is for: the sections that submit, or the approvers that review. */
export const REMINDER_AUDIENCES = ['submit', 'review'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

/** reminder_slots.status: a slot becomes mails once (fanned out). */
export const REMINDER_SLOT_STATUSES = ['pending', 'fanned_out'] as const;
export type ReminderSlotStatus = (typeof REMINDER_SLOT_STATUSES)[number];

/**
 * reminder_mails.kind: the digest of a slot, a return notice, another notice (通知), or the one
 * daily mail that gathers a daily-digest user's due rows (notification_settings).
 */
export const MAIL_KINDS = ['digest', 'returned', 'notice', 'daily'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** The kinds a daily-digest user's due rows may be, gathered into one 'daily' mail. */
export const MAIL_KINDS_IN_DAILY: readonly MailKind[] = MAIL_KINDS.filter((k) => k !== 'daily');

/** reminder_mails.status, the outbox's lifecycle; bundled: went out inside a daily mail (bundle_id). */
export const MAIL_STATUSES = ['pending', 'enqueued', 'sending', 'sent', 'failed', 'cancelled', 'bundled'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** A mail still on its way (a resend of it would double it). */
export const MAIL_IN_FLIGHT: readonly MailStatus[] = ['pending', 'enqueued', 'sending'];
/** A mail already handed to the queue (a send job holds it): what a tenant's new send jobs rank behind. */
export const MAIL_QUEUED: readonly MailStatus[] = MAIL_IN_FLIGHT.filter((s) => s !== 'pending');
/** A mail a sender may claim: not yet being sent. */
export const MAIL_CLAIMABLE: readonly MailStatus[] = ['pending', 'enqueued'];
/** A mail whose outbox work is over (failed, cancelled or sent): it may be queued again as a new row. */
export const MAIL_FINISHED: readonly MailStatus[] = MAIL_STATUSES.filter((s) => !MAIL_IN_FLIGHT.includes(s));
/** The kinds whose row names the one entry it is about (entry_id). */
export const MAIL_KINDS_OF_ENTRY: readonly MailKind[] = ['returned', 'notice'];

/** The kinds a cycle's send log (送信記録) lists and filters by: a daily mail's rows are listed themselves. */
export const MAIL_LOG_KINDS = MAIL_KINDS_IN_DAILY;
export type MailLogKind = Exclude<MailKind, 'daily'>;

/** The kinds of mail as planning reads them in the send log and its CSV. */
export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  digest: '督促・期限のお知らせ',
  returned: '差戻し通知',
  notice: 'お知らせ（依頼・承認依頼など）',
  daily: '1日分のまとめ',
};

/** The states of a mail, as the send log shows them. */
export const MAIL_STATUS_LABELS: Record<MailStatus, string> = {
  pending: '送信待ち',
  enqueued: '送信準備中',
  sending: '送信中',
  sent: '送信済み',
  failed: '失敗',
  cancelled: '取消（対応済みのため送信せず）',
  bundled: 'まとめて送信',
};

export function isMailLogKind(value: unknown): value is MailLogKind {
  return typeof value === 'string' && (MAIL_LOG_KINDS as readonly string[]).includes(value);
}
