import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many entries a publication holds and how many of them were reported, beside its head: the
 * public top page says 「75項目中70項目は未報告」 for every latest publication, and read that from
 * every whole snapshot (on a plan of ten years of monthly reports, seconds of JSON for one
 * page). Written with the publication (published-reports.service.ts) and filled here from
 * the snapshots frozen so far; the heads stay append-only (the trigger is lifted for the fill only).
 */
export class PublishedHeadCounts1732000011960 implements MigrationInterface {
  name = 'PublishedHeadCounts1732000011960';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE published_heads ADD COLUMN entries_total integer, ADD COLUMN entries_reported integer;
      ALTER TABLE published_heads DISABLE TRIGGER published_heads_frozen;
      UPDATE published_heads h
         SET entries_total = c.total, entries_reported = c.reported
        FROM (SELECT r.id,
                     count(e) AS total,
                     count(e) FILTER (WHERE e->>'reported' = 'true') AS reported
                FROM published_reports r
                LEFT JOIN LATERAL jsonb_array_elements(r.snapshot->'entries') e ON true
               GROUP BY r.id) c
       WHERE c.id = h.report_id;
      ALTER TABLE published_heads ENABLE TRIGGER published_heads_frozen;
      ALTER TABLE published_heads ALTER COLUMN entries_total SET NOT NULL, ALTER COLUMN entries_reported SET NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE published_heads DROP COLUMN entries_reported, DROP COLUMN entries_total`);
  }
}
