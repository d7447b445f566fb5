/**
 * A sign-in (ログイン中の端末): one row of `sessions`, ended for one of these reasons. An
 * expired session is not ended: it simply stops being accepted after its expiry.
 */
export const SESSION_END_REASONS = ['logout', 'ended_by_user', 'ended_by_admin', 'password_changed', 'password_reset', 'user_deactivated'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export const SESSION_END_REASON_LABELS: Record<SessionEndReason, string> = {
  logout: 'ログアウト',
  ended_by_user: '本人が終了',
  ended_by_admin: '管理者が終了',
  password_changed: 'パスワード変更',
  password_reset: 'パスワード再設定',
  user_deactivated: '利用者の無効化',
};

/** How the session was signed in. */
export const SESSION_METHODS = ['password', 'sso'] as const;
export type SessionMethod = (typeof SESSION_METHODS)[number];

export const SESSION_METHOD_LABELS: Record<SessionMethod, string> = {
  password: 'パスワード',
  sso: 'シングルサインオン',
};

/** What a request with the token of an ended session is told (401): why, and what to do. */
export function sessionEndedMessage(reason: SessionEndReason | null): string {
  switch (reason) {
    case 'logout':
      return 'ログアウト済みです。再度ログインしてください';
    case 'password_changed':
    case 'password_reset':
      return 'パスワードが変更されました。再度ログインしてください';
    case 'user_deactivated':
      return 'この利用者は無効化されたため、ログインが終了しました';
    default:
      return 'このログインは終了されました。再度ログインしてください';
  }
}

export const SESSION_EXPIRED_MESSAGE = 'ログインの有効期限が切れています。再度ログインしてください';
