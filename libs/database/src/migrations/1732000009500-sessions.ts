import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sessions (owned by libs/auth): every token carries the id of one row, and a
 * token is accepted only while its row is neither ended nor expired. The guard reads a row by
 * its primary key on every request; the partial index serves "a user's live sessions".
 */
export class Sessions1732000009500 implements MigrationInterface {
  name = 'Sessions1732000009500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id integer NOT NULL REFERENCES users(id),
        method text NOT NULL CHECK (method IN ('password','sso')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('logout','ended_by_user','ended_by_admin','password_changed','password_reset','user_deactivated')),
        ended_by integer REFERENCES users(id),
        user_agent text,
        client_address text,
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      );
      CREATE INDEX sessions_user_live_idx ON sessions(user_id, created_at) WHERE ended_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sessions`);
  }
}
