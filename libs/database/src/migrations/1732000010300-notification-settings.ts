import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user's choice of how notices reach them (at once, or one mail a day at the send hour),
 * and what the outbox needs for it and for the in-app notifications: a daily mail (kind
 * 'daily') gathers the rows it stands for (status 'bundled', bundle_id), and a row read in the
 * UI has read_at. Owned by libs/reminders (the outbox); the setting is its own table so the
 * users table keeps one owner.
 */
export class NotificationSettings1732000010300 implements MigrationInterface {
  name = 'NotificationSettings1732000010300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_settings (
        user_id integer PRIMARY KEY REFERENCES users(id),
        mode text NOT NULL CHECK (mode IN ('immediate', 'daily')),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE reminder_mails DROP CONSTRAINT reminder_mails_kind_check;
      ALTER TABLE reminder_mails ADD CONSTRAINT reminder_mails_kind_check CHECK (kind IN ('digest', 'returned', 'notice', 'daily'));
      ALTER TABLE reminder_mails DROP CONSTRAINT reminder_mails_status_check;
      ALTER TABLE reminder_mails ADD CONSTRAINT reminder_mails_status_check
        CHECK (status IN ('pending', 'enqueued', 'sending', 'sent', 'failed', 'cancelled', 'bundled'));
      ALTER TABLE reminder_mails ADD COLUMN bundle_id bigint REFERENCES reminder_mails(id);
      ALTER TABLE reminder_mails ADD COLUMN read_at timestamptz;
      CREATE INDEX reminder_mails_bundle_idx ON reminder_mails(bundle_id) WHERE bundle_id IS NOT NULL;
      CREATE INDEX reminder_mails_recipient_idx ON reminder_mails(recipient_user_id, send_at DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX reminder_mails_recipient_idx;
      DELETE FROM reminder_mails WHERE kind = 'daily' OR status = 'bundled';
      ALTER TABLE reminder_mails DROP COLUMN read_at;
      ALTER TABLE reminder_mails DROP COLUMN bundle_id;
      ALTER TABLE reminder_mails DROP CONSTRAINT reminder_mails_status_check;
      ALTER TABLE reminder_mails ADD CONSTRAINT reminder_mails_status_check
        CHECK (status IN ('pending', 'enqueued', 'sending', 'sent', 'failed', 'cancelled'));
      ALTER TABLE reminder_mails DROP CONSTRAINT reminder_mails_kind_check;
      ALTER TABLE reminder_mails ADD CONSTRAINT reminder_mails_kind_check CHECK (kind IN ('digest', 'returned', 'notice'));
      DROP TABLE notification_settings;
    `);
  }
}
