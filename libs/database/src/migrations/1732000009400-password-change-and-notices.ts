import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users.password_change_required: a password an administrator set (create, reset) or the
 * installer printed is known to someone else; the user must replace it before anything else.
 *
 * notice_mails: an outbox of one-off notices to one person (the account-lock mail), written in
 * the transaction of what causes them and sent by the worker (libs/notices), never during the
 * request. UNIQUE(kind, dedupe_key) keeps one notice per event.
 */
export class PasswordChangeAndNotices1732000009400 implements MigrationInterface {
  name = 'PasswordChangeAndNotices1732000009400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE notice_mails (
        id bigserial PRIMARY KEY,
        recipient_user_id integer NOT NULL REFERENCES users(id),
        kind text NOT NULL,
        dedupe_key text NOT NULL,
        to_address text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz,
        sent_at timestamptz,
        UNIQUE (kind, dedupe_key)
      )`);
    await q.query(`CREATE INDEX notice_mails_due_idx ON notice_mails (id) WHERE status IN ('pending', 'sending')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notice_mails`);
    await q.query(`ALTER TABLE users DROP COLUMN password_change_required`);
  }
}
