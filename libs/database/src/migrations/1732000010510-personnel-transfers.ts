import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk 人事異動 (libs/personnel): a personnel file as uploaded (`personnel_transfers`) and its
 * rows, each applied on its 発令日 by the worker or at once (`applied_at`, once: applying again
 * changes nothing). `users.staff_number` (職員番号) is how personnel files name people.
 */
export class PersonnelTransfers1732000010510 implements MigrationInterface {
  name = 'PersonnelTransfers1732000010510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN staff_number text;
      CREATE UNIQUE INDEX users_staff_number_key ON users(staff_number) WHERE staff_number IS NOT NULL;
      CREATE TABLE personnel_transfers (
        id serial PRIMARY KEY,
        file_name text,
        mode text NOT NULL CHECK (mode IN ('now', 'on_date')),
        created_by integer REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        cancelled_at timestamptz,
        cancelled_by integer REFERENCES users(id)
      );
      CREATE TABLE personnel_transfer_rows (
        id serial PRIMARY KEY,
        transfer_id integer NOT NULL REFERENCES personnel_transfers(id),
        row_number integer NOT NULL,
        user_id integer NOT NULL REFERENCES users(id),
        section_id integer REFERENCES sections(id),
        department_id integer NOT NULL REFERENCES departments(id),
        post text NOT NULL CHECK (post IN ('department_head', 'counsellor', 'section_chief', 'staff')),
        title text NOT NULL,
        effective_date date NOT NULL,
        applied_at timestamptz,
        outcome jsonb,
        UNIQUE (transfer_id, row_number)
      );
      CREATE INDEX personnel_transfer_rows_due_idx ON personnel_transfer_rows(effective_date) WHERE applied_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE personnel_transfer_rows; DROP TABLE personnel_transfers; DROP INDEX users_staff_number_key; ALTER TABLE users DROP COLUMN staff_number;`,
    );
  }
}
