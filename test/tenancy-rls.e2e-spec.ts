import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { RatingScalesService } from '@app/cycles';
import { runInTenant, UNTENANTED_TABLES } from '@app/database';
import { SeedAppModule, SeedHistoryService, SeedService } from '@app/seed';
import { loginAs } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';
import { tenant } from './utils/builder';

/**
 * Row-level security (migration 1732000011700) holds for raw SQL, not only for the api's queries:
 * the application's own login, with no tenant set, sees no row of any table and can write none;
 * with a tenant set, it sees and writes only that tenant's. Two municipalities hold the whole
 * demo data each (the same department codes and logins in both).
 */
describe('tenancy: row-level security on every table', () => {
  let t: TestApp;
  let seedApp: INestApplicationContext;
  let owner: Client;
  let app: Client;
  let tables: string[];
  const B = 2;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await adminClient(t.config, t.config.DB_NAME);
    // 千代田区 (13101 and its check digit 6).
    await tenant(owner, { id: B, code: '131016', name: '千代田区', mailFrom: 'hyoka@city.chiyoda.example.jp' });
    seedApp = await NestFactory.createApplicationContext(SeedAppModule.forRoot(t.config), { logger: ['error'] });
    await seedApp.get(SeedService).seed();
    await seedApp.get(SeedHistoryService).seed(undefined, '2026-11-21');
    await runInTenant(B, async () => {
      await seedApp.get(RatingScalesService).mirrorBuiltins();
      await seedApp.get(SeedService).seed();
      await seedApp.get(SeedHistoryService).seed(undefined, '2026-11-21');
    });
    await loginAs(t, 'planning');
    app = new Client({ host: t.config.DB_HOST, port: t.config.DB_PORT, user: t.config.DB_USER, password: t.config.DB_PASSWORD, database: t.config.DB_NAME });
    await app.connect();
    tables = (
      await owner.query(
        `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT (relname = ANY($1)) ORDER BY 1`,
        [UNTENANTED_TABLES],
      )
    ).rows.map((r) => r.relname);
  }, 300_000);
  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await seedApp?.close();
    await t.close();
  });

  const asTenant = (tenant: number | '') => app.query(`SELECT set_config('hyoka.tenant_id', $1, false)`, [String(tenant)]);
  const count = async (client: Client, table: string, where = 'true') =>
    (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)).rows[0].n as number;

  it('the application logs in as a role row-level security applies to', async () => {
    const { rows } = await owner.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [t.config.DB_USER]);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it('every table but the migration list and the audit chain head has tenant_id and a forced tenant policy', async () => {
    expect(tables.length).toBeGreaterThanOrEqual(28);
    const { rows } = await owner.query(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT attnotnull FROM pg_attribute WHERE attrelid = c.oid AND attname = 'tenant_id') AS not_null,
              (SELECT array_agg(p.qual || ' / ' || coalesce(p.with_check, '-')) FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'tenant_isolation') AS policy
         FROM pg_class c WHERE c.relname = ANY($1) ORDER BY 1`,
      [tables],
    );
    for (const row of rows) {
      expect(row).toEqual({
        table: row.table,
        enabled: true,
        forced: true,
        not_null: true,
        policy: ['(tenant_id = ( SELECT app_tenant() AS app_tenant)) / (tenant_id = ( SELECT app_tenant() AS app_tenant))'],
      });
    }
  });

  it('without a tenant: every table looks empty, and no insert is accepted', async () => {
    await asTenant('');
    for (const table of tables) {
      expect([table, await count(app, table)]).toEqual([table, 0]);
      await expect(app.query(`INSERT INTO ${table} DEFAULT VALUES`)).rejects.toThrow(/row-level security/);
    }
    // Not set at all (a fresh session, psql): with two tenants, none either.
    const fresh = new Client({
      host: t.config.DB_HOST,
      port: t.config.DB_PORT,
      user: t.config.DB_USER,
      password: t.config.DB_PASSWORD,
      database: t.config.DB_NAME,
    });
    await fresh.connect();
    try {
      for (const table of tables) expect([table, await count(fresh, table)]).toEqual([table, 0]);
    } finally {
      await fresh.end();
    }
  });

  it.each([
    ['1', 1, B],
    ['2', B, 1],
  ])('as tenant %s: exactly its own rows, none of the other, and no write into the other', async (_label, mine, other) => {
    await asTenant(mine);
    for (const table of tables) {
      expect([table, await count(app, table)]).toEqual([table, await count(owner, table, `tenant_id = ${mine}`)]);
      expect([table, await count(app, table, `tenant_id <> ${mine}`)]).toEqual([table, 0]);
      await expect(app.query(`INSERT INTO ${table} (tenant_id) VALUES ($1)`, [other])).rejects.toThrow(/row-level security/);
      if (table !== 'audit_log') {
        // Rows of the other tenant are not there to change, and its own cannot be moved over.
        expect([table, (await app.query(`UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = $1`, [other])).rowCount]).toEqual([table, 0]);
        expect([table, (await app.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [other])).rowCount]).toEqual([table, 0]);
      }
    }
    await expect(app.query(`UPDATE departments SET tenant_id = $1`, [other])).rejects.toThrow(/row-level security/);
  });

  it('both municipalities hold the same demo codes and logins, each its own', async () => {
    const { rows } = await owner.query(`SELECT tenant_id, count(*)::int AS n FROM users WHERE login IN ('admin', 'planning') GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([
      { tenant_id: 1, n: 2 },
      { tenant_id: B, n: 2 },
    ]);
    const filled = [];
    for (const table of tables) if ((await count(owner, table, `tenant_id = ${B}`)) > 0 && (await count(owner, table, 'tenant_id = 1')) > 0) filled.push(table);
    // The tables the demo seed leaves empty (delegations, co-approvals, …) are covered by the checks
    // above all the same: no row visible, none writable, whatever the tenant.
    expect(filled).toEqual(
      expect.arrayContaining(['audit_log', 'cycles', 'departments', 'entries', 'plan_items', 'published_reports', 'rating_scales', 'sections', 'users']),
    );
  });

  it('a prefecture reads its municipalities’ published reports and nothing else of theirs, and writes none', async () => {
    // 埼玉県 (11000 and its check digit 1); tenant 1 is one of its municipalities, B is not.
    const pref = await tenant(owner, { id: 3, code: '110001', name: '埼玉県' });
    await owner.query(`UPDATE tenants SET prefecture_id = $1 WHERE id = 1`, [pref]);
    try {
      await asTenant(pref);
      const published = await count(owner, 'published_reports', 'tenant_id = 1');
      expect(published).toBeGreaterThan(0);
      expect(await count(app, 'published_reports')).toBe(published);
      expect(await count(app, 'published_reports', 'tenant_id <> 1')).toBe(0);
      expect((await app.query(`SELECT id FROM tenants ORDER BY id`)).rows.map((r) => r.id)).toEqual([1, pref]);
      for (const table of tables.filter((x) => x !== 'published_reports')) expect([table, await count(app, table)]).toEqual([table, 0]);
      await expect(app.query(`INSERT INTO published_reports (tenant_id) VALUES (1)`)).rejects.toThrow(/row-level security/);
      expect((await app.query(`UPDATE tenants SET name = 'x' WHERE id = 1`)).rowCount).toBe(0);
      expect((await app.query(`DELETE FROM published_reports WHERE tenant_id = 1`)).rowCount).toBe(0);
    } finally {
      await owner.query(`UPDATE tenants SET prefecture_id = NULL WHERE id = 1`);
    }
  });

  it('a row cannot reference another tenant’s row, even for the owner', async () => {
    const [{ id: foreignSection }] = (await owner.query(`SELECT id FROM sections WHERE tenant_id = $1 LIMIT 1`, [B])).rows;
    await expect(
      owner.query(
        `INSERT INTO users (tenant_id, login, name, email, section_id, roles, password_hash) VALUES (1, 'x-tenant', 'x', 'x@example.jp', $1, '{staff}', '')`,
        [foreignSection],
      ),
    ).rejects.toThrow(/foreign key/);
  });
});
