import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 未承認 (not_approved): an entry still in review when its cycle is force-closed is marked so
 * (the transition table's mark_not_approved), instead of staying 提出済 in a closed cycle.
 */
export class NotApproved1732000010210 implements MigrationInterface {
  name = 'NotApproved1732000010210';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE entries DROP CONSTRAINT entries_state_check;
      ALTER TABLE entries ADD CONSTRAINT entries_state_check
        CHECK (state IN ('not_started','draft','submitted','in_review','returned','accepted','not_submitted','not_approved'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE entries SET state = 'submitted', current_step = 0 WHERE state = 'not_approved';
      ALTER TABLE entries DROP CONSTRAINT entries_state_check;
      ALTER TABLE entries ADD CONSTRAINT entries_state_check
        CHECK (state IN ('not_started','draft','submitted','in_review','returned','accepted','not_submitted'));
    `);
  }
}
