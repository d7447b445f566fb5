import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One audit chain per municipality. With one chain for the installation, a municipality's own
 * verification (which sees only its rows under row-level security) found every other one's links
 * missing, a record it exported could not be verified without another's rows, and every tenant's
 * commits waited on the one chain head. Now `audit_chain_head` has a row per tenant, `chain_seq`
 * counts within the tenant (`UNIQUE (tenant_id, chain_seq)`, as Citus needs it too), and the
 * sealer chains each tenant's pending rows onto its own head, skipping a head another
 * transaction holds. The link text (audit_log_link_text) is unchanged, so every sealed row still
 * verifies: the chain that existed becomes tenant 1's, which it was. An installation whose chain
 * already holds rows of several tenants cannot be split without rewriting sealed rows, and the
 * migration refuses it (none exists: several tenants came with 1732000011700, in this release).
 */
export class AuditChainPerTenant1732000011970 implements MigrationInterface {
  name = 'AuditChainPerTenant1732000011970';

  async up(q: QueryRunner): Promise<void> {
    const [{ n }] = await q.query(`SELECT count(DISTINCT tenant_id)::int AS n FROM audit_log WHERE chain_seq IS NOT NULL AND tenant_id <> 1`);
    if (n > 0) throw new Error('the audit chain already holds rows of tenants other than 1: it cannot be split without rewriting sealed rows');
    await q.query(`
      ALTER TABLE audit_chain_head DROP CONSTRAINT audit_chain_head_pkey;
      ALTER TABLE audit_chain_head ADD COLUMN tenant_id integer REFERENCES tenants(id);
      UPDATE audit_chain_head SET tenant_id = 1;
      ALTER TABLE audit_chain_head ALTER COLUMN tenant_id SET NOT NULL, DROP COLUMN only_row, ADD PRIMARY KEY (tenant_id);
      INSERT INTO audit_chain_head (tenant_id, last_seq) SELECT id, 0 FROM tenants WHERE id <> 1;
      -- A municipality reads its own head (the verifier); the owner's sealer reads and moves them all.
      ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON audit_chain_head FOR SELECT USING (tenant_id = (SELECT app_tenant()));

      DROP INDEX audit_log_chain_seq_idx;
      CREATE UNIQUE INDEX audit_log_chain_seq_idx ON audit_log (tenant_id, chain_seq);

      -- Seals every unsealed row this transaction sees, each onto its tenant's chain, in id order.
      -- wait: block for each head (the verifier); otherwise skip a head another transaction holds,
      -- leaving its rows to the next sealer (the commit-time trigger). A tenant without a head
      -- yet (added after this migration) gets one.
      CREATE OR REPLACE FUNCTION audit_log_seal_pending(wait boolean) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE head audit_chain_head; t integer; r audit_log; d bytea; n integer := 0; sealed integer;
      BEGIN
        FOR t IN SELECT DISTINCT a.tenant_id FROM audit_log a WHERE a.chain_seq IS NULL ORDER BY 1 LOOP
          IF NOT EXISTS (SELECT 1 FROM audit_chain_head h WHERE h.tenant_id = t) THEN
            INSERT INTO audit_chain_head (tenant_id, last_seq) VALUES (t, 0) ON CONFLICT (tenant_id) DO NOTHING;
          END IF;
          IF wait THEN
            SELECT * INTO head FROM audit_chain_head h WHERE h.tenant_id = t FOR UPDATE;
          ELSE
            SELECT * INTO head FROM audit_chain_head h WHERE h.tenant_id = t FOR UPDATE SKIP LOCKED;
            CONTINUE WHEN NOT FOUND;
          END IF;
          sealed := 0;
          FOR r IN SELECT * FROM audit_log a WHERE a.chain_seq IS NULL AND a.tenant_id = t ORDER BY a.id LOOP
            d := sha256(convert_to(audit_log_link_text(r, head.last_seq + 1, head.last_hash), 'UTF8'));
            UPDATE audit_log SET chain_seq = head.last_seq + 1, prev_hash = head.last_hash, hash = d WHERE id = r.id;
            head.last_seq := head.last_seq + 1;
            head.last_hash := d;
            sealed := sealed + 1;
          END LOOP;
          IF sealed > 0 THEN UPDATE audit_chain_head h SET last_seq = head.last_seq, last_hash = head.last_hash WHERE h.tenant_id = t; END IF;
          n := n + sealed;
        END LOOP;
        RETURN n;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM audit_chain_head WHERE tenant_id <> 1 AND last_seq > 0`);
    if (n > 0) throw new Error('several tenants have audit chains: they cannot be joined into one');
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_seal_pending(wait boolean) RETURNS integer
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
      DROP INDEX audit_log_chain_seq_idx;
      CREATE UNIQUE INDEX audit_log_chain_seq_idx ON audit_log (chain_seq);
      DROP POLICY tenant_isolation ON audit_chain_head;
      ALTER TABLE audit_chain_head DISABLE ROW LEVEL SECURITY;
      DELETE FROM audit_chain_head WHERE tenant_id <> 1;
      ALTER TABLE audit_chain_head DROP CONSTRAINT audit_chain_head_pkey, DROP COLUMN tenant_id,
        ADD COLUMN only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row);
    `);
  }
}
