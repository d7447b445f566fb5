import { MigrationInterface, QueryRunner } from 'typeorm';

/** A delegation its principal chose to keep through a 人事異動 of either person (else the move ends it). */
export class DelegationCarryOver1732000010900 implements MigrationInterface {
  name = 'DelegationCarryOver1732000010900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delegations ADD COLUMN continue_after_transfer boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delegations DROP COLUMN continue_after_transfer`);
  }
}
