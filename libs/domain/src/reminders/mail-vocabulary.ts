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
/** A mail a sender may claim: not yet being sent. */
export const MAIL_CLAIMABLE: readonly MailStatus[] = ['pending', 'enqueued'];
/** A mail whose outbox work is over (failed, cancelled or sent): it may be queued again as a new row. */
export const MAIL_FINISHED: readonly MailStatus[] = MAIL_STATUSES.filter((s) => !MAIL_IN_FLIGHT.includes(s));
/** The kinds whose row names the one entry it is about (entry_id). */
export const MAIL_KINDS_OF_ENTRY: readonly MailKind[] = ['returned', 'notice'];
