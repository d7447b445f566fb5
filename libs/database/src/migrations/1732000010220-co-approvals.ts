import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 合議: a step approved by several parties (the other sections of an item, or named users), all
 * of them or any one. Each party's approval in the current round is a row here (with its audit
 * row); a return, withdrawal, reopening or new submission clears the entry's rows, so the step
 * starts again. Owned by libs/approvals. A delegation may now be limited to 合議 steps.
 */
export class CoApprovals1732000010220 implements MigrationInterface {
  name = 'CoApprovals1732000010220';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE co_approvals (
        id bigserial PRIMARY KEY,
        entry_id integer NOT NULL REFERENCES entries(id),
        step integer NOT NULL,
        -- 's:<section id>' or 'u:<user id>'
        seat text NOT NULL CHECK (seat ~ '^[su]:[0-9]+$'),
        -- the principal who approved for the party, and who acted (the same, or their delegate)
        user_id integer NOT NULL REFERENCES users(id),
        acted_by integer NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (entry_id, step, seat)
      );
      ALTER TABLE delegations DROP CONSTRAINT delegations_step_kind_check;
      ALTER TABLE delegations ADD CONSTRAINT delegations_step_kind_check CHECK (step_kind IN ('section_chief', 'evaluator', 'planning', 'co_approval'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE delegations SET step_kind = NULL WHERE step_kind = 'co_approval';
      ALTER TABLE delegations DROP CONSTRAINT delegations_step_kind_check;
      ALTER TABLE delegations ADD CONSTRAINT delegations_step_kind_check CHECK (step_kind IN ('section_chief', 'evaluator', 'planning'));
      DROP TABLE co_approvals;
    `);
  }
}
