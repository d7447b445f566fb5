import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * cycles.rules: the template's scale, fields and approval route as the cycle opened, so a
 * template edited mid-cycle does not re-route entries in review or re-rate past reports.
 * Cycles already opened take their template's current rules (the best record there is).
 */
export class CycleRules1732000005000 implements MigrationInterface {
  name = 'CycleRules1732000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycles ADD COLUMN rules jsonb`);
    await q.query(`
      UPDATE cycles c
         SET rules = jsonb_build_object('scaleCode', t.scale_code, 'fields', t.fields, 'approvalRoute', t.approval_route)
        FROM cycle_templates t
       WHERE t.id = c.template_id AND c.state <> 'draft'`);
    await q.query(`COMMENT ON COLUMN cycles.rules IS 'scaleCode, fields, approvalRoute of the template when the cycle opened; NULL while draft'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycles DROP COLUMN rules`);
  }
}
