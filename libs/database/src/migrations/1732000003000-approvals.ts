import { MigrationInterface, QueryRunner } from 'typeorm';

/** Delegations (代理) of approval rights for a date range; audit_log closed to changes for every grantee. */
export class Approvals1732000003000 implements MigrationInterface {
  name = 'Approvals1732000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delegations (
        id serial PRIMARY KEY,
        from_user_id integer NOT NULL REFERENCES users(id),
        to_user_id integer NOT NULL REFERENCES users(id),
        -- Asia/Tokyo calendar dates, both inclusive.
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        reason text,
        created_by integer REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK (from_user_id <> to_user_id),
        CHECK (starts_on <= ends_on)
      );
      CREATE INDEX delegations_to_idx ON delegations(to_user_id, starts_on, ends_on) WHERE revoked_at IS NULL;
      CREATE INDEX delegations_from_idx ON delegations(from_user_id);
      -- Belt and braces: the trigger already refuses UPDATE/DELETE/TRUNCATE for every role,
      -- including the owner; this keeps any role granted through PUBLIC from even trying.
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // PUBLIC had no table privileges before, so there is nothing to grant back.
    await q.query(`DROP TABLE delegations;`);
  }
}
