import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A publication's snapshot split the way the public item page reads it: its head (plan,
 * cycle, scale, field labels: the snapshot without its entries) and, per item, that item's
 * rows (one per section). An item's page then reads its own rows of each publication (about a
 * kilobyte each) instead of every whole snapshot of the plan (each with all of its cycle's
 * entries). Written with the publication in one statement, append-only like it; filled here
 * from the publications frozen so far. Owned by libs/reports.
 */
export class PublishedItemRows1732000011500 implements MigrationInterface {
  name = 'PublishedItemRows1732000011500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE published_heads (
        report_id integer PRIMARY KEY REFERENCES published_reports(id),
        plan_id integer NOT NULL,
        cycle_id integer NOT NULL,
        version integer NOT NULL,
        published_at timestamptz NOT NULL,
        head jsonb NOT NULL
      );
      CREATE INDEX published_heads_plan_idx ON published_heads (plan_id, cycle_id, version DESC);
      CREATE TABLE published_item_rows (
        item_id integer NOT NULL,
        report_id integer NOT NULL REFERENCES published_reports(id),
        rows jsonb NOT NULL,
        PRIMARY KEY (item_id, report_id)
      );
      CREATE TRIGGER published_heads_frozen BEFORE UPDATE OR DELETE ON published_heads
        FOR EACH ROW EXECUTE FUNCTION published_reports_frozen();
      CREATE TRIGGER published_item_rows_frozen BEFORE UPDATE OR DELETE ON published_item_rows
        FOR EACH ROW EXECUTE FUNCTION published_reports_frozen();
      INSERT INTO published_heads (report_id, plan_id, cycle_id, version, published_at, head)
        SELECT id, (snapshot->'plan'->>'id')::int, cycle_id, version, published_at, snapshot - 'entries'
          FROM published_reports WHERE snapshot IS NOT NULL;
      INSERT INTO published_item_rows (item_id, report_id, rows)
        SELECT (e->>'itemId')::int, r.id, jsonb_agg(e ORDER BY ord)
          FROM published_reports r, jsonb_array_elements(r.snapshot->'entries') WITH ORDINALITY AS x(e, ord)
         WHERE r.snapshot IS NOT NULL AND e->>'itemId' IS NOT NULL
         GROUP BY r.id, (e->>'itemId')::int;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE published_item_rows; DROP TABLE published_heads;`);
  }
}
