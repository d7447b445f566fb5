import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rating scales, cycle templates, cycles, entries and their version history. */
export class Cycles1732000002000 implements MigrationInterface {
  name = 'Cycles1732000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rating_scales (
        code text PRIMARY KEY,
        name text NOT NULL,
        options jsonb NOT NULL,
        reason_required_for text[] NOT NULL DEFAULT '{}',
        builtin boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE cycle_templates (
        id serial PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        plan_id integer NOT NULL REFERENCES plans(id),
        period_type text NOT NULL CHECK (period_type IN ('monthly','quarterly','half_year','fiscal_year','multi_year')),
        span_years integer CHECK (span_years BETWEEN 2 AND 10),
        first_fiscal_year integer,
        scale_code text NOT NULL REFERENCES rating_scales(code),
        fields jsonb NOT NULL,
        approval_route jsonb NOT NULL,
        submission_offset_days integer NOT NULL DEFAULT 10,
        review_offset_days integer NOT NULL DEFAULT 20,
        reminder_schedule jsonb NOT NULL,
        auto_open boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (period_type <> 'multi_year' OR (span_years IS NOT NULL AND first_fiscal_year IS NOT NULL))
      );
      CREATE TABLE cycles (
        id serial PRIMARY KEY,
        template_id integer NOT NULL REFERENCES cycle_templates(id),
        period_key text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        fiscal_year integer NOT NULL,
        label text NOT NULL,
        state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','open','closed','published')),
        submission_deadline date NOT NULL,
        review_deadline date NOT NULL,
        opened_at timestamptz,
        closed_at timestamptz,
        published_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (template_id, period_key)
      );
      CREATE INDEX cycles_state_idx ON cycles(state);
      CREATE TABLE entries (
        id serial PRIMARY KEY,
        cycle_id integer NOT NULL REFERENCES cycles(id),
        item_id integer NOT NULL REFERENCES plan_items(id),
        section_id integer NOT NULL REFERENCES sections(id),
        state text NOT NULL DEFAULT 'not_started'
          CHECK (state IN ('not_started','draft','submitted','in_review','returned','accepted','not_submitted')),
        rating text,
        progress text,
        fiscal_goal text,
        short_term_plan text,
        kpi_actuals jsonb NOT NULL DEFAULT '[]',
        reason text,
        next_steps text,
        previous_entry_id integer REFERENCES entries(id),
        previous_rating text,
        current_step integer NOT NULL DEFAULT 0,
        author_user_id integer REFERENCES users(id),
        last_edited_by integer REFERENCES users(id),
        submitted_at timestamptz,
        accepted_at timestamptz,
        return_comment text,
        return_field_comments jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, item_id, section_id)
      );
      CREATE INDEX entries_cycle_state_idx ON entries(cycle_id, state);
      CREATE INDEX entries_section_idx ON entries(section_id, cycle_id);
      -- Self-reference: without it every delete of an entry scans the table for referrers.
      CREATE INDEX entries_previous_idx ON entries(previous_entry_id);
      CREATE TABLE entry_versions (
        id bigserial PRIMARY KEY,
        entry_id integer NOT NULL REFERENCES entries(id),
        version integer NOT NULL,
        state text NOT NULL,
        data jsonb NOT NULL,
        edited_by integer REFERENCES users(id),
        edited_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (entry_id, version)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE entry_versions; DROP TABLE entries; DROP TABLE cycles; DROP TABLE cycle_templates; DROP TABLE rating_scales;`);
  }
}
