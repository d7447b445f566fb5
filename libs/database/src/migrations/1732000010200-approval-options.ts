import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Segregation of duties and the fallback approvers become a template's own options (until now
 * fixed in code: on, department head then planning, which stays the default). Each entry keeps
 * what its route said of the current submission (a step passed, a step re-addressed) so the
 * inbox and the entry page can say why.
 */
export class ApprovalOptions1732000010200 implements MigrationInterface {
  name = 'ApprovalOptions1732000010200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cycle_templates
        ADD COLUMN approval_options jsonb NOT NULL DEFAULT '{"segregation": true, "fallbackApprovers": ["department_head", "planning"]}';
      ALTER TABLE entries ADD COLUMN route_notes jsonb NOT NULL DEFAULT '[]';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE entries DROP COLUMN route_notes;
      ALTER TABLE cycle_templates DROP COLUMN approval_options;
    `);
  }
}
