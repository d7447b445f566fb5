import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Department name history (libs/org), as section_names is for sections: a renamed 部 keeps its
 * id, and reports of earlier periods print the name valid at the end of their period. Existing
 * departments get no row: one without history reads as its current name, and its first rename
 * records the name it had until then.
 */
export class DepartmentNames1732000011400 implements MigrationInterface {
  name = 'DepartmentNames1732000011400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE department_names (
        id serial PRIMARY KEY,
        department_id integer NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
        name text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        note text,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      );
      CREATE INDEX department_names_department_idx ON department_names(department_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE department_names;`);
  }
}
