import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Configurable forms. A template's `fields` now hold full field definitions (type, scope,
 * options, JsonLogic rules); the first version's {key,label,required:'always'|...} rows are
 * still read (normaliseForm) so old templates and opened cycles need no rewrite.
 * - entries.values: the entry's own fields beyond the built-in columns;
 * - scope_values: fields entered once per cycle for a department or a section (基本方針, 総括);
 * - plans.item_fields + plan_items.attributes: item attributes defined per plan (budget, FTE);
 * - plan_item_kpis.kind/direction: milestone KPIs (策定完了) and lower-is-better ones (事故件数);
 * - cycle_templates.layout: how the printable report lays the form out.
 */
export class Forms1732000007000 implements MigrationInterface {
  name = 'Forms1732000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cycle_templates ADD COLUMN layout text NOT NULL DEFAULT 'list' CHECK (layout IN ('list','sheet'));
      ALTER TABLE entries ADD COLUMN "values" jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE plans ADD COLUMN item_fields jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE plan_items ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE plan_item_kpis
        ADD COLUMN kind text NOT NULL DEFAULT 'numeric' CHECK (kind IN ('numeric','milestone')),
        ADD COLUMN direction text NOT NULL DEFAULT 'higher' CHECK (direction IN ('higher','lower'));
      CREATE TABLE scope_values (
        id serial PRIMARY KEY,
        cycle_id integer NOT NULL REFERENCES cycles(id),
        scope text NOT NULL CHECK (scope IN ('department','section')),
        scope_id integer NOT NULL,
        "values" jsonb NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        updated_by integer REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, scope, scope_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE scope_values;
      ALTER TABLE plan_item_kpis DROP COLUMN kind, DROP COLUMN direction;
      ALTER TABLE plan_items DROP COLUMN attributes;
      ALTER TABLE plans DROP COLUMN item_fields;
      ALTER TABLE entries DROP COLUMN "values";
      ALTER TABLE cycle_templates DROP COLUMN layout;
    `);
  }
}
