import { MigrationInterface, QueryRunner } from 'typeorm';

/** Organisation, users, plan items and the append-only audit log. */
export class Organisation1732000000000 implements MigrationInterface {
  name = 'Organisation1732000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE departments (
        id serial PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        head_user_id integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE sections (
        id serial PRIMARY KEY,
        department_id integer NOT NULL REFERENCES departments(id),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        merged_into_id integer REFERENCES sections(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sections_department_idx ON sections(department_id);
      -- A section keeps its id across renames; each name it held is kept with its validity.
      CREATE TABLE section_names (
        id serial PRIMARY KEY,
        section_id integer NOT NULL REFERENCES sections(id),
        name text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        note text
      );
      CREATE INDEX section_names_section_idx ON section_names(section_id);
      CREATE TABLE users (
        id serial PRIMARY KEY,
        login text NOT NULL UNIQUE,
        name text NOT NULL,
        email text NOT NULL,
        section_id integer REFERENCES sections(id),
        roles text[] NOT NULL DEFAULT '{}'
          CHECK (roles <@ ARRAY['staff','chief','evaluator','planning','admin']::text[]),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX users_section_idx ON users(section_id);
      ALTER TABLE departments ADD CONSTRAINT departments_head_fk FOREIGN KEY (head_user_id) REFERENCES users(id);

      CREATE TABLE plans (
        id serial PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('pledge','program','goal','evaluation')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE plan_items (
        id serial PRIMARY KEY,
        plan_id integer NOT NULL REFERENCES plans(id),
        number integer NOT NULL CHECK (number > 0),
        sub_number text NOT NULL DEFAULT '',
        chapter text,
        category text,
        title text NOT NULL,
        content text,
        target_date_text text,
        evaluator_user_id integer REFERENCES users(id),
        budget_thousand_yen numeric(14,0),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (plan_id, number, sub_number)
      );
      -- Each responsible section reports its own row for the item, possibly with its own content.
      CREATE TABLE plan_item_sections (
        item_id integer NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,
        section_id integer NOT NULL REFERENCES sections(id),
        content text,
        target_date_text text,
        sort integer NOT NULL DEFAULT 0,
        PRIMARY KEY (item_id, section_id)
      );
      CREATE INDEX plan_item_sections_section_idx ON plan_item_sections(section_id);
      CREATE TABLE plan_item_kpis (
        id serial PRIMARY KEY,
        item_id integer NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,
        name text NOT NULL,
        unit text NOT NULL DEFAULT '',
        sort integer NOT NULL DEFAULT 0,
        -- target per fiscal year, e.g. {"2024": 80}
        targets jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX plan_item_kpis_item_idx ON plan_item_kpis(item_id);

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_user_id integer,
        on_behalf_of_user_id integer,
        acting boolean NOT NULL DEFAULT false,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        before jsonb,
        after jsonb,
        comment text
      );
      CREATE INDEX audit_log_subject_idx ON audit_log(subject_type, subject_id, id);
      -- Append-only: the trigger fires for every role, including the application's own.
      CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_log; DROP FUNCTION audit_log_immutable();
      DROP TABLE plan_item_kpis; DROP TABLE plan_item_sections; DROP TABLE plan_items; DROP TABLE plans;
      ALTER TABLE departments DROP CONSTRAINT departments_head_fk;
      DROP TABLE users; DROP TABLE section_names; DROP TABLE sections; DROP TABLE departments;
    `);
  }
}
