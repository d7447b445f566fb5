import { MigrationInterface, QueryRunner } from 'typeorm';

/** The application's own login: its name and, for a role this migration creates, its password. */
export interface AppLogin {
  role: string;
  password?: string;
}

/** The chain columns; everything else in a row is what the hash covers. */
const CHAIN_COLUMNS = `'{chain_seq,prev_hash,hash}'::text[]`;

/**
 * Two defences for the audit log against the application's own database login:
 *
 * 1. The api and the worker log in as a role that does not own the tables (DB_USER, created here
 *    if missing). It may read and write the ordinary tables but only INSERT and SELECT audit_log,
 *    so it can neither UPDATE/DELETE rows nor disable the triggers (owner only) nor set
 *    session_replication_role (superuser only). Default privileges grant the same on every table
 *    later migrations create.
 * 2. Each row is sealed into a SHA-256 chain (chain_seq, prev_hash, hash), so a row an owner
 *    changes or deletes is found by `npm run audit:verify` or GET /api/audit/verify. The chain
 *    has one end, the chain-head row; whoever holds it FOR UPDATE appends. Writers seal at
 *    commit (a deferred trigger) and skip if the head is taken (SKIP LOCKED), so no transaction
 *    ever waits for the chain and none can deadlock on it; skipped rows are sealed by the next
 *    writer's commit or by the verifier, which waits for the head.
 *
 * A class per login because the role name is configuration (DB_USER), not a constant.
 */
export function appRoleAuditChainMigration(app: AppLogin) {
  return class AppRoleAuditChain1732000009300 implements MigrationInterface {
    name = 'AppRoleAuditChain1732000009300';

    async up(q: QueryRunner): Promise<void> {
      await this.chain(q);
      await this.appRole(q);
    }

    private async chain(q: QueryRunner): Promise<void> {
      await q.query(`
        ALTER TABLE audit_log ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;
        CREATE UNIQUE INDEX audit_log_chain_seq_idx ON audit_log(chain_seq);

        -- The end of the chain: one row, locked by each sealing transaction in turn.
        CREATE TABLE audit_chain_head (
          only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
          last_seq bigint NOT NULL DEFAULT 0,
          last_hash bytea
        );
        INSERT INTO audit_chain_head DEFAULT VALUES;

        -- What a link's hash covers, one field after the other, each as <bytes>:<text>; or - for
        -- NULL, so no two rows serialise alike. libs/audit/src/audit-chain.ts repeats this in the
        -- verifier; change both, or neither.
        CREATE FUNCTION audit_log_link_text(r audit_log, seq bigint, prev bytea) RETURNS text
          LANGUAGE sql IMMUTABLE AS $$
          SELECT 'hyoka-audit-v1;' || string_agg(CASE WHEN f IS NULL THEN '-' ELSE octet_length(f) || ':' || f END, ';' ORDER BY n) || ';'
            FROM unnest(ARRAY[
              seq::text, r.id::text, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
              r.actor_user_id::text, r.on_behalf_of_user_id::text, CASE WHEN r.acting THEN 't' ELSE 'f' END,
              r.action, r.subject_type, r.subject_id, r.before::text, r.after::text, r.comment, encode(prev, 'hex')
            ]) WITH ORDINALITY AS t(f, n)
        $$;

        -- The one update allowed: sealing, i.e. filling in the chain columns of an unsealed row
        -- and changing nothing else. Only the owner gets this far (the application role has no
        -- UPDATE right); audit_log_seal_pending runs as the owner.
        CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            IF OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL
               AND to_jsonb(NEW) - ${CHAIN_COLUMNS} = to_jsonb(OLD) - ${CHAIN_COLUMNS} THEN
              RETURN NEW;
            END IF;
          END IF;
          RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
        END $$;

        CREATE INDEX audit_log_unsealed_idx ON audit_log(id) WHERE chain_seq IS NULL;

        -- Seals every unsealed row this transaction sees, in id order, onto the end of the chain.
        -- wait: block for the chain head (the verifier); otherwise give up at once if another
        -- transaction holds it, leaving the rows to the next sealer (the commit-time trigger).
        CREATE FUNCTION audit_log_seal_pending(wait boolean) RETURNS integer
          LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        DECLARE head audit_chain_head; r audit_log; d bytea; n integer := 0;
        BEGIN
          IF wait THEN
            SELECT * INTO head FROM audit_chain_head FOR UPDATE;
          ELSE
            SELECT * INTO head FROM audit_chain_head FOR UPDATE SKIP LOCKED;
            IF NOT FOUND THEN RETURN 0; END IF;
          END IF;
          FOR r IN SELECT * FROM audit_log WHERE chain_seq IS NULL ORDER BY id LOOP
            d := sha256(convert_to(audit_log_link_text(r, head.last_seq + 1, head.last_hash), 'UTF8'));
            UPDATE audit_log SET chain_seq = head.last_seq + 1, prev_hash = head.last_hash, hash = d WHERE id = r.id;
            head.last_seq := head.last_seq + 1;
            head.last_hash := d;
            n := n + 1;
          END LOOP;
          IF n > 0 THEN UPDATE audit_chain_head SET last_seq = head.last_seq, last_hash = head.last_hash; END IF;
          RETURN n;
        END $$;

        -- The rows written before the chain existed.
        SELECT audit_log_seal_pending(true);

        -- A writer cannot bring its own chain values: they are the sealer's to fill in.
        CREATE FUNCTION audit_log_unsealed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.chain_seq := NULL; NEW.prev_hash := NULL; NEW.hash := NULL;
          RETURN NEW;
        END $$;
        CREATE TRIGGER audit_log_unsealed BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_unsealed();

        -- At commit, a transaction that wrote audit rows seals them (and any others committed and
        -- still unsealed) if the chain head is free, and skips otherwise: its rows then go to the
        -- next sealer. Nobody waits for the chain, so it serialises nothing; the holder keeps it
        -- only while it commits. Not under REPEATABLE READ, whose old snapshot would fail on the
        -- head another transaction has moved on.
        -- Fires once per row, so it seals once per transaction (the first call at commit sees all
        -- of the transaction's rows); the flag lives until the transaction ends.
        CREATE FUNCTION audit_log_seal() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('hyoka.audit_sealed', true) IS DISTINCT FROM 'yes'
             AND current_setting('transaction_isolation') = 'read committed' THEN
            PERFORM audit_log_seal_pending(false);
            PERFORM set_config('hyoka.audit_sealed', 'yes', true);
          END IF;
          RETURN NULL;
        END $$;
        CREATE CONSTRAINT TRIGGER audit_log_seal AFTER INSERT ON audit_log
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_log_seal();

        -- ALWAYS: session_replication_role = replica (superuser only) no longer skips them either.
        ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update;
        ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;
        ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_unsealed;
        ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_seal;
        CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
          FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable();
      `);
    }

    private async appRole(q: QueryRunner): Promise<void> {
      const [{ role, password, self }] = await q.query(`SELECT quote_ident($1) AS role, quote_literal($2) AS password, $1 = current_user AS self`, [
        app.role,
        app.password ?? null,
      ]);
      // One login for everything (a development set-up that chose so): nothing to grant.
      if (self) return;
      // Roles belong to the whole cluster, and parallel test suites migrate at once: whoever
      // loses the race to create it finds it created.
      await q.query(`
        DO $create_role$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(app.role)}) THEN
            CREATE ROLE ${role} LOGIN${password ? ` PASSWORD ${password}` : ''};
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $create_role$;
      `);
      await q.query(`
        GRANT USAGE ON SCHEMA public TO ${role};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role};
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role};
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role};
        REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM ${role};
        REVOKE ALL ON audit_chain_head FROM ${role};
        GRANT SELECT ON audit_chain_head TO ${role};
        REVOKE ALL ON migrations FROM ${role};
      `);
    }

    async down(q: QueryRunner): Promise<void> {
      const [{ role, exists }] = await q.query(`SELECT quote_ident($1) AS role, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists`, [app.role]);
      // The role itself stays: it is the cluster's, and other databases may use it.
      if (exists) {
        await q.query(`
          ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${role};
          ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${role};
          REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role};
          REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role};
          REVOKE USAGE ON SCHEMA public FROM ${role};
        `);
      }
      await q.query(`
        DROP TRIGGER audit_log_seal ON audit_log; DROP FUNCTION audit_log_seal();
        DROP TRIGGER audit_log_unsealed ON audit_log; DROP FUNCTION audit_log_unsealed();
        DROP FUNCTION audit_log_seal_pending(boolean);
        DROP INDEX audit_log_unsealed_idx;
        ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
        ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate;
        CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
        END $$;
        DROP FUNCTION audit_log_link_text(audit_log, bigint, bytea);
        DROP TABLE audit_chain_head;
        DROP INDEX audit_log_chain_seq_idx;
        ALTER TABLE audit_log DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;
      `);
    }
  };
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
