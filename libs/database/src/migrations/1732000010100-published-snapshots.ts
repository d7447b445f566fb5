import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each publication also keeps its public data as structured JSON (the items, sections named as
 * at the end of the period, ratings, the form's published texts, KPI targets and actuals, and
 * which entries were not reported), so the public site (matrix across cycles, item history,
 * feeds, open data) is built from what was published, never from the live tables. Written once
 * with the row (the append-only trigger still forbids any later change); null for publications
 * frozen before this column existed. Owned by libs/reports.
 */
export class PublishedSnapshots1732000010100 implements MigrationInterface {
  name = 'PublishedSnapshots1732000010100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE published_reports ADD COLUMN snapshot jsonb;
      CREATE INDEX published_reports_plan_idx ON published_reports (((snapshot->'plan'->>'id')::int)) WHERE snapshot IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX published_reports_plan_idx; ALTER TABLE published_reports DROP COLUMN snapshot;`);
  }
}
