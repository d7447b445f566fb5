import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 機構改革 files registered to apply on their 施行日 (libs/personnel): the file's table as read,
 * applied once by the worker (`applied_at`; `outcome` says whether every row went through, with
 * the report) unless cancelled first. A file applied at once is stored too, applied on registering.
 */
export class ScheduledOrgReforms1732000011410 implements MigrationInterface {
  name = 'ScheduledOrgReforms1732000011410';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE org_reforms (
        id serial PRIMARY KEY,
        file_name text,
        effective_date date NOT NULL,
        table_rows jsonb NOT NULL,
        summary jsonb NOT NULL,
        created_by integer REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz,
        outcome jsonb,
        cancelled_at timestamptz,
        cancelled_by integer REFERENCES users(id),
        CHECK (applied_at IS NULL OR cancelled_at IS NULL)
      );
      CREATE INDEX org_reforms_due_idx ON org_reforms(effective_date) WHERE applied_at IS NULL AND cancelled_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE org_reforms;`);
  }
}
