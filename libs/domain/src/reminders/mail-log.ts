/**
 * The words of the send log (送信記録): the kinds of outbox mail a cycle's log lists (the
 * filter's choices) and the states of a mail, as planning reads them in the UI and the CSV.
 */
export const MAIL_LOG_KINDS = ['digest', 'returned', 'notice'] as const;
export type MailLogKind = (typeof MAIL_LOG_KINDS)[number];

export const MAIL_KIND_LABELS: Record<MailLogKind | 'daily', string> = {
  digest: '督促・期限のお知らせ',
  returned: '差戻し通知',
  notice: 'お知らせ（依頼・承認依頼など）',
  daily: '1日分のまとめ',
};

export const MAIL_STATUS_LABELS: Record<string, string> = {
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
