import type { MailKind, MailStatus, ReminderKind, ReminderSlotStatus } from '@app/domain';
import type { ReminderAudience } from '../reminder-plan';
import type { NoticePayload } from '../notices/notice-payload';

/** reminder_slots: one send time of one cycle and audience, written when the cycle opens. */
export interface ReminderSlotRow {
  id: string;
  cycleId: number;
  audience: ReminderAudience;
  kind: ReminderKind;
  deadline: string;
  businessDaysFromDeadline: number;
  sendAt: Date;
  status: ReminderSlotStatus;
}

export type ReminderMailStatus = MailStatus;

/** reminder_mails: one mail to one person; the unique (recipient, kind, slot_key) forbids doubles. */
export interface ReminderMailRow {
  id: string;
  recipientUserId: number;
  kind: MailKind;
  slotKey: string;
  sendAt: Date;
  status: ReminderMailStatus;
  entryId: number | null;
  comment: string | null;
  /** A notice's text, composed when its event happened (kind 'notice'). */
  payload: NoticePayload | null;
  ccUserIds: number[];
  entryIds: number[];
  subject: string | null;
  messageId: string | null;
  attempts: number;
  jobId: string | null;
  lastError: string | null;
  resentFromId: string | null;
  /** The daily mail this row went in (status 'bundled'), for a user who chose 「1日1回まとめて」. */
  bundleId: string | null;
  /** When its recipient marked it read in the UI (the in-app notifications). */
  readAt: Date | null;
  createdAt: Date;
  enqueuedAt: Date | null;
  claimedAt: Date | null;
  sentAt: Date | null;
}

const COLUMNS: [string, string][] = [
  ['id', 'id'],
  ['recipient_user_id', 'recipientUserId'],
  ['kind', 'kind'],
  ['slot_key', 'slotKey'],
  ['send_at', 'sendAt'],
  ['status', 'status'],
  ['entry_id', 'entryId'],
  ['comment', 'comment'],
  ['payload', 'payload'],
  ['cc_user_ids', 'ccUserIds'],
  ['entry_ids', 'entryIds'],
  ['subject', 'subject'],
  ['message_id', 'messageId'],
  ['attempts', 'attempts'],
  ['job_id', 'jobId'],
  ['last_error', 'lastError'],
  ['resent_from_id', 'resentFromId'],
  ['bundle_id', 'bundleId'],
  ['read_at', 'readAt'],
  ['created_at', 'createdAt'],
  ['enqueued_at', 'enqueuedAt'],
  ['claimed_at', 'claimedAt'],
  ['sent_at', 'sentAt'],
];

/** SELECT list of a ReminderMailRow, optionally from a table alias. */
export function mailColumns(alias?: string): string {
  const p = alias ? `${alias}.` : '';
  return COLUMNS.map(([column, field]) => `${p}${column} AS "${field}"`).join(', ');
}

/** Deterministic per row, so a duplicate delivery is detectable by the receiving side. */
export function reminderMessageId(mailId: string | number): string {
  return `<reminder-${mailId}@hyoka>`;
}
