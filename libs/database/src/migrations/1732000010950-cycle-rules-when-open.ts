import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An opened cycle always holds the rules it opened with, so the route, scale and form of its
 * entries are read from the cycle alone (no fallback to a template edited since).
 */
export class CycleRulesWhenOpen1732000010950 implements MigrationInterface {
  name = 'CycleRulesWhenOpen1732000010950';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE cycles c
         SET rules = jsonb_build_object('scaleCode', t.scale_code, 'fields', t.fields, 'approvalRoute', t.approval_route)
        FROM cycle_templates t
       WHERE t.id = c.template_id AND c.state <> 'draft' AND c.rules IS NULL`);
    await q.query(`ALTER TABLE cycles ADD CONSTRAINT cycles_rules_when_open CHECK (state = 'draft' OR rules IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycles DROP CONSTRAINT cycles_rules_when_open`);
  }
}
