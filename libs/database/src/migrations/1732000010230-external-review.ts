import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 外部評価 (行政評価委員会): outside reviewers (the role external_reviewer) assigned per cycle
 * write one recommendation (提言) per item of the cycle; each section answers it (対応方針) in
 * its entry of the same item in the next cycle. Owned by libs/approvals.
 */
export class ExternalReview1732000010230 implements MigrationInterface {
  name = 'ExternalReview1732000010230';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users DROP CONSTRAINT users_roles_check;
      ALTER TABLE users ADD CONSTRAINT users_roles_check
        CHECK (roles <@ ARRAY['staff','chief','evaluator','planning','admin','external_reviewer']::text[]);
      CREATE TABLE external_reviewers (
        cycle_id integer NOT NULL REFERENCES cycles(id),
        user_id integer NOT NULL REFERENCES users(id),
        assigned_by integer REFERENCES users(id),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cycle_id, user_id)
      );
      CREATE INDEX external_reviewers_user_idx ON external_reviewers(user_id);
      CREATE TABLE recommendations (
        id serial PRIMARY KEY,
        cycle_id integer NOT NULL REFERENCES cycles(id),
        item_id integer NOT NULL REFERENCES plan_items(id),
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
        written_by integer NOT NULL REFERENCES users(id),
        written_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, item_id)
      );
      CREATE TABLE recommendation_responses (
        id serial PRIMARY KEY,
        recommendation_id integer NOT NULL REFERENCES recommendations(id),
        entry_id integer NOT NULL REFERENCES entries(id),
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
        written_by integer NOT NULL REFERENCES users(id),
        written_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (recommendation_id, entry_id)
      );
      CREATE INDEX recommendation_responses_entry_idx ON recommendation_responses(entry_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE recommendation_responses;
      DROP TABLE recommendations;
      DROP TABLE external_reviewers;
      UPDATE users SET roles = array_remove(roles, 'external_reviewer');
      ALTER TABLE users DROP CONSTRAINT users_roles_check;
      ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ARRAY['staff','chief','evaluator','planning','admin']::text[]);
    `);
  }
}
