import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The prefecture (issue #20, docs/tenancy.md "Prefecture"):
 *
 * - The role `prefecture` (都道府県担当): a prefecture tenant's user who reads, never writes.
 * - `tenants.public_url`: where a municipality's public site is served (a multi-tenant
 *   installation serves each on its own host, the proxy naming it by X-Tenant); the prefecture's
 *   index links to it.
 * - `shared_templates`: template definitions (code, scale, fields) a prefecture distributes to
 *   its municipalities. Rows are the prefecture's own (tenant_isolation); a municipality may
 *   read, never write, its prefecture's (policy `municipality_read`, SELECT only) and adopts one
 *   by creating its own cycle template from it. Owned by libs/prefecture.
 *
 * The prefecture reads its municipalities' publications through `prefecture_read` on
 * published_reports (migration 1732000011700) and nothing else of theirs: no policy here opens
 * entries, cycles or templates across tenants.
 */
export class Prefecture1732000011800 implements MigrationInterface {
  name = 'Prefecture1732000011800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users DROP CONSTRAINT users_roles_check;
      ALTER TABLE users ADD CONSTRAINT users_roles_check
        CHECK (roles <@ ARRAY['staff','chief','evaluator','planning','admin','external_reviewer','prefecture']::text[]);

      ALTER TABLE tenants ADD COLUMN public_url text CHECK (public_url ~ '^https?://');

      CREATE TABLE shared_templates (
        id serial PRIMARY KEY,
        tenant_id integer NOT NULL DEFAULT app_tenant_default() REFERENCES tenants(id),
        code text NOT NULL,
        name text NOT NULL CHECK (name <> ''),
        period_type text NOT NULL,
        span_years integer,
        first_fiscal_year integer,
        -- The scale as the prefecture defines it (code, name, options, reason_required_for): a
        -- municipality without that scale gets it with the adoption.
        scale jsonb NOT NULL,
        fields jsonb NOT NULL,
        layout text NOT NULL,
        version integer NOT NULL DEFAULT 1,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by integer NOT NULL,
        CONSTRAINT shared_templates_code_key UNIQUE (code, tenant_id),
        CONSTRAINT shared_templates_tenant_key UNIQUE (id, tenant_id),
        CONSTRAINT shared_templates_published_by_fkey FOREIGN KEY (tenant_id, published_by) REFERENCES users(tenant_id, id)
      );
      ALTER TABLE shared_templates ENABLE ROW LEVEL SECURITY;
      ALTER TABLE shared_templates FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON shared_templates USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
      -- A municipality reads the definitions its prefecture distributes (its own tenants row names it).
      CREATE POLICY municipality_read ON shared_templates FOR SELECT
        USING (tenant_id = (SELECT prefecture_id FROM tenants WHERE id = (SELECT app_tenant())));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE shared_templates;
      ALTER TABLE tenants DROP COLUMN public_url;
      UPDATE users SET roles = array_remove(roles, 'prefecture');
      ALTER TABLE users DROP CONSTRAINT users_roles_check;
      ALTER TABLE users ADD CONSTRAINT users_roles_check
        CHECK (roles <@ ARRAY['staff','chief','evaluator','planning','admin','external_reviewer']::text[]);
    `);
  }
}
