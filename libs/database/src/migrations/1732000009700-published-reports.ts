import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What was published, frozen: each publication of a cycle stores its public page, CSV and
 * summary as they were (version 1, 2, ... with the date). The public addresses serve the latest
 * version, so an edit after publication (an item's title, a reopened cycle) changes nothing
 * public until the next publication. Owned by libs/reports.
 */
export class PublishedReports1732000009700 implements MigrationInterface {
  name = 'PublishedReports1732000009700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE published_reports (
        id serial PRIMARY KEY,
        cycle_id integer NOT NULL REFERENCES cycles(id),
        version integer NOT NULL,
        published_at timestamptz NOT NULL,
        published_by integer REFERENCES users(id),
        html text NOT NULL,
        csv text NOT NULL,
        summary jsonb NOT NULL,
        UNIQUE (cycle_id, version)
      );
      -- A publication is a record: written once, never changed (as the audit log).
      CREATE FUNCTION published_reports_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'published_reports is append-only'; END $$;
      CREATE TRIGGER published_reports_frozen BEFORE UPDATE OR DELETE ON published_reports
        FOR EACH ROW EXECUTE FUNCTION published_reports_frozen();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE published_reports; DROP FUNCTION published_reports_frozen();`);
  }
}
