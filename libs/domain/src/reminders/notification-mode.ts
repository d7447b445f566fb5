/** How a user receives the notices of events: each at once, or one mail a day at the send hour. */
export const NOTIFICATION_MODES = ['immediate', 'daily'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

export const NOTIFICATION_MODE_LABELS: Record<NotificationMode, string> = {
  immediate: 'お知らせごとにすぐ受け取る',
  daily: '1日1回まとめて受け取る',
};

export const NOTIFICATION_MODE_HINTS: Record<NotificationMode, string> = {
  immediate: '依頼・承認依頼・差戻しなどを、その都度メールで受け取ります。',
  daily:
    'その日のお知らせとリマインダーを、翌朝の送信時刻に1通のメールにまとめて受け取ります（アカウントのロックと、あなたの名義で登録された代理設定の確認依頼は、すぐに届きます）。',
};

export function isNotificationMode(value: unknown): value is NotificationMode {
  return typeof value === 'string' && (NOTIFICATION_MODES as readonly string[]).includes(value);
}
