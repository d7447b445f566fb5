import { MigrationInterface, QueryRunner } from 'typeorm';

/** The largest logo (bytes), as libs/domain's MAX_LOGO_BYTES (a migration keeps its own copy: it never changes). */
const MAX_LOGO_BYTES = 256 * 1024;

/**
 * A municipality edits its own profile from the UI (issue #20): name, mail sender, contact and a
 * logo uploaded into the row (PNG or SVG, served by the api from its own origin, so the strict CSP
 * needs no other image source). `version` guards against lost updates (409 on a stale one);
 * `logo_url` stays as it was (a URL set by SQL; shown nowhere: an outside address breaks the CSP).
 * app_tenant_profiles() gains the version and whether a logo exists; app_tenant_logo(id) gives
 * the image of one municipality to the public logo address (a logo is public, like its name).
 */
export class TenantProfile1732000011900 implements MigrationInterface {
  name = 'TenantProfile1732000011900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN logo bytea CHECK (octet_length(logo) BETWEEN 1 AND ${MAX_LOGO_BYTES}),
        ADD COLUMN logo_type text CHECK (logo_type IN ('image/png', 'image/svg+xml')),
        ADD COLUMN updated_at timestamptz,
        ADD CONSTRAINT tenants_logo_typed CHECK ((logo IS NULL) = (logo_type IS NULL));

      DROP FUNCTION app_tenant_profiles();
      CREATE FUNCTION app_tenant_profiles() RETURNS TABLE (id integer, code text, name text, mail_from text,
          contact_name text, contact_phone text, contact_email text, logo_url text, version integer, has_logo boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT id, code, name, mail_from, contact_name, contact_phone, contact_email, logo_url, version, logo IS NOT NULL
          FROM tenants ORDER BY id
      $$;
      CREATE FUNCTION app_tenant_logo(wanted integer) RETURNS TABLE (logo bytea, logo_type text, version integer)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT logo, logo_type, version FROM tenants WHERE id = wanted AND logo IS NOT NULL
      $$;

      -- The application updates only what a municipality edits of itself: never its code, its
      -- prefecture or its id (row-level security already limits it to its own row).
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
                  WHERE g.table_schema = 'public' AND g.table_name = 'tenants' AND g.privilege_type = 'UPDATE'
                    AND g.grantee <> (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.tenants'::regclass) LOOP
          EXECUTE format('REVOKE UPDATE ON tenants FROM %I', r.grantee);
          EXECUTE format('GRANT UPDATE (name, mail_from, contact_name, contact_phone, contact_email, logo, logo_type, version, updated_at) ON tenants TO %I', r.grantee);
        END LOOP;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION app_tenant_logo(integer);
      DROP FUNCTION app_tenant_profiles();
      CREATE FUNCTION app_tenant_profiles() RETURNS TABLE (id integer, code text, name text, mail_from text,
          contact_name text, contact_phone text, contact_email text, logo_url text) LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT id, code, name, mail_from, contact_name, contact_phone, contact_email, logo_url FROM tenants ORDER BY id
      $$;
      ALTER TABLE tenants DROP CONSTRAINT tenants_logo_typed, DROP COLUMN updated_at, DROP COLUMN logo_type, DROP COLUMN logo, DROP COLUMN version;
    `);
  }
}
