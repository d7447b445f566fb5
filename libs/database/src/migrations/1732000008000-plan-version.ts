import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans are edited from the UI now (their item attributes), so they get an optimistic version
 * like items have: two planners saving the attribute definitions at once cannot lose one's work.
 */
export class PlanVersion1732000008000 implements MigrationInterface {
  name = 'PlanVersion1732000008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE plans ADD COLUMN version integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE plans DROP COLUMN version`);
  }
}
