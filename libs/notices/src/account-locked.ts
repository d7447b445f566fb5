import type { EntityManager } from 'typeorm';

/** Kinds of notice_mails rows; each has its own writer here. */
export const NoticeKind = { AccountLocked: 'account_locked' } as const;

export interface AccountLockedNotice {
  userId: number;
  /** Failed attempts in a row that locked it. */
  failures: number;
  lockSeconds: number;
  publicUrl: string;
  now?: Date;
}

const TOKYO_TIME = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' });

/**
 * Queues the mail telling a user their account was locked, in the caller's transaction (with
 * the audit row of the lock), for the worker to send. The text is fixed now: it tells what
 * happened then. A user without a mail address gets none; answers whether a row was written.
 * Called from libs/auth, so this file imports nothing of Nest or of the mail transport.
 */
export async function queueAccountLockedNotice(em: EntityManager, n: AccountLockedNotice): Promise<boolean> {
  const [user]: { login: string; name: string; email: string }[] = await em.query(`SELECT login, name, email FROM users WHERE id = $1 AND active`, [n.userId]);
  if (!user?.email) return false;
  const now = n.now ?? new Date();
  const minutes = Math.max(1, Math.round(n.lockSeconds / 60));
  const subject = '【評価サイクル】アカウントがロックされました';
  const body = [
    `${user.name} 様`,
    '',
    `評価サイクルのアカウント（ログインID: ${user.login}）は、パスワードの誤りが${n.failures}回続いたため、${TOKYO_TIME.format(now)}にロックされました。`,
    `ロックは最後の失敗から約${minutes}分後に自動で解除されます。すぐに利用する必要がある場合は、システム管理者にロックの解除を依頼してください。`,
    '',
    'ご自身の操作に心当たりがない場合は、第三者がパスワードを試した可能性があります。ロックの解除後にパスワードを変更し、システム管理者に連絡してください。',
    '',
    n.publicUrl,
    '',
    '（このメールは送信専用です。返信はできません）',
  ].join('\n');
  const [row] = await em.query(
    `INSERT INTO notice_mails (recipient_user_id, kind, dedupe_key, to_address, subject, body) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (kind, dedupe_key) DO NOTHING RETURNING id`,
    [n.userId, NoticeKind.AccountLocked, `${n.userId}@${now.toISOString()}`, user.email, subject, body],
  );
  return Boolean(row);
}
