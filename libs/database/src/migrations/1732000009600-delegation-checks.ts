import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maker-checker for 代決: a delegation recorded by someone other than its principal waits for
 * the principal's (or their superior's) confirmation; a delegation may be limited to one cycle
 * or one kind of step. Notices (後閲, a delegation to confirm or granted) go through the mail
 * outbox as kind 'notice', their text composed when the event happens (payload).
 */
export class DelegationChecks1732000009600 implements MigrationInterface {
  name = 'DelegationChecks1732000009600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE delegations
        -- Recorded by the principal: in force at once (the default); by anyone else: NULL until confirmed.
        ADD COLUMN confirmed_at timestamptz DEFAULT now(),
        ADD COLUMN confirmed_by integer REFERENCES users(id),
        ADD COLUMN cycle_id integer REFERENCES cycles(id),
        ADD COLUMN step_kind text CHECK (step_kind IN ('section_chief', 'evaluator', 'planning'));
      -- Delegations recorded before this rule were in force: they stay so.
      UPDATE delegations SET confirmed_at = created_at, confirmed_by = created_by;
      CREATE INDEX delegations_pending_idx ON delegations(from_user_id) WHERE confirmed_at IS NULL AND revoked_at IS NULL;

      ALTER TABLE reminder_mails DROP CONSTRAINT reminder_mails_kind_check;
      ALTER TABLE reminder_mails ADD CONSTRAINT reminder_mails_kind_check CHECK (kind IN ('digest', 'returned', 'notice'));
      ALTER TABLE reminder_mails ADD COLUMN payload jsonb;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM reminder_mails WHERE kind = 'notice';
      ALTER TABLE reminder_mails DROP COLUMN payload;
      ALTER TABLE reminder_mails DROP CONSTRAINT reminder_mails_kind_check;
      ALTER TABLE reminder_mails ADD CONSTRAINT reminder_mails_kind_check CHECK (kind IN ('digest', 'returned'));
      DROP INDEX delegations_pending_idx;
      ALTER TABLE delegations DROP COLUMN confirmed_at, DROP COLUMN confirmed_by, DROP COLUMN cycle_id, DROP COLUMN step_kind;
    `);
  }
}
