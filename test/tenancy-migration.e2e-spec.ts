import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrationOptions, UNTENANTED_TABLES } from '@app/database';
import { SeedAppModule, SeedHistoryService, SeedService } from '@app/seed';
import { loginAs } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient, dropTestDatabase } from './utils/test-database';
import { tenant } from './utils/builder';

/**
 * A single-city installation of the version before tenants, holding the whole demo data, upgraded
 * by migration 1732000011700: every row is still there, unchanged, now in tenant 1, which carries
 * the configured municipality.
 */
describe('tenancy: migrating a single-city installation into tenant 1', () => {
  let t: TestApp;
  let seedApp: INestApplicationContext;
  let source: Client;
  let before: Client;
  const upgraded = () => ({ ...t.config, DB_NAME: `${t.config.DB_NAME}_pre` });

  beforeAll(async () => {
    t = await createTestApp({ MUNICIPALITY_NAME: '入間市', MUNICIPALITY_CODE: '112259', PLANNING_CONTACT_PHONE: '04-2964-1111' });
    seedApp = await NestFactory.createApplicationContext(SeedAppModule.forRoot(t.config), { logger: ['error'] });
    await seedApp.get(SeedService).seed();
    await seedApp.get(SeedHistoryService).seed(undefined, '2026-11-21');
    await loginAs(t, 'planning');
    source = await adminClient(t.config, t.config.DB_NAME);

    // The schema of the version before: every migration up to, not including, the tenants one.
    const admin = await adminClient(t.config);
    await admin.query(`CREATE DATABASE "${upgraded().DB_NAME}"`);
    await admin.end();
    const options = migrationOptions(upgraded());
    const all = options.migrations as { name: string }[];
    const tenants = all.findIndex((m) => m.name === 'Tenants1732000011700');
    expect(tenants).toBeGreaterThan(0);
    const old = new DataSource({ ...options, migrations: all.slice(0, tenants) } as typeof options);
    await old.initialize();
    await old.runMigrations({ transaction: 'each' });
    await old.destroy();

    // Its data: the demo rows, copied over as they are (the chain columns are sealed anew).
    before = await adminClient(t.config, upgraded().DB_NAME);
    await before.query('BEGIN');
    await before.query(`SET LOCAL session_replication_role = replica`);
    for (const table of await tablesOf(before)) {
      if (table === 'audit_chain_head' || table === 'migrations') continue;
      const columns = await columnsOf(before, table);
      const list = columns.map((c) => `"${c}"`).join(', ');
      const { rows } = await source.query(`SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]') AS rows FROM (SELECT ${list} FROM ${table}) x`);
      await before.query(`INSERT INTO ${table} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, $1)`, [
        JSON.stringify(rows[0].rows),
      ]);
    }
    await before.query('COMMIT');
  }, 300_000);
  afterAll(async () => {
    await before?.end();
    await source?.end();
    await seedApp?.close();
    await dropTestDatabase(upgraded());
    await t.close();
  });

  it('keeps every row of every table, unchanged, and puts each into tenant 1', async () => {
    // The chain head is the chain's (one per tenant since 1732000011970): the verification below checks it.
    const tables = (await tablesOf(before)).filter((x) => x !== 'migrations' && x !== 'audit_chain_head');
    // The columns of the version before: what later migrations add is theirs to test.
    const columnsBefore = new Map<string, string>();
    for (const table of tables) columnsBefore.set(table, (await columnsOf(before, table)).map((c) => `"${c}"`).join(', '));
    const snapshot = async (client: Client) => {
      const result: Record<string, { rows: number; digest: string }> = {};
      for (const table of tables) {
        const columns = columnsBefore.get(table)!;
        const { rows } = await client.query(
          `SELECT count(*)::int AS rows, coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') AS digest FROM (SELECT to_jsonb(x) AS r FROM (SELECT ${columns} FROM ${table}) x) y`,
        );
        result[table] = rows[0];
      }
      return result;
    };
    const old = await snapshot(before);
    expect(old.entries.rows).toBeGreaterThan(500);
    expect(old.audit_log.rows).toBeGreaterThan(0);
    expect(Object.values(old).filter((s) => s.rows > 0).length).toBeGreaterThanOrEqual(15);

    const options = migrationOptions(upgraded());
    const ds = new DataSource(options);
    await ds.initialize();
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      // The tenants migration and those after it (their own tests cover what they add).
      expect(ran[0].name).toBe('Tenants1732000011700');
      const names = (options.migrations as { name: string }[]).map((m) => m.name);
      expect(ran.map((m) => m.name)).toEqual(names.slice(names.indexOf('Tenants1732000011700')));
    } finally {
      await ds.destroy();
    }

    expect(await snapshot(before)).toEqual(old);
    for (const table of tables.filter((x) => !UNTENANTED_TABLES.includes(x))) {
      const { rows } = await before.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id IS DISTINCT FROM 1`);
      expect([table, rows[0].n]).toEqual([table, 0]);
    }
    const { rows: tenants } = await before.query(`SELECT id, code, name, mail_from, contact_name, contact_phone FROM tenants`);
    expect(tenants).toEqual([
      { id: 1, code: '112259', name: '入間市', mail_from: t.config.MAIL_FROM, contact_name: t.config.PLANNING_CONTACT_NAME, contact_phone: '04-2964-1111' },
    ]);
    // The installation's tools and raw SQL as the application's login, which never set a tenant,
    // still see the one municipality; once there are two, such a session sees nothing.
    const app = new Client({
      host: t.config.DB_HOST,
      port: t.config.DB_PORT,
      user: t.config.DB_USER,
      password: t.config.DB_PASSWORD,
      database: upgraded().DB_NAME,
    });
    await app.connect();
    try {
      expect((await app.query(`SELECT count(*)::int AS n FROM entries`)).rows[0].n).toBe(old.entries.rows);
      await tenant(before, { id: 2, code: '131016', name: '千代田区' });
      expect((await app.query(`SELECT count(*)::int AS n FROM entries`)).rows[0].n).toBe(0);
      await before.query(`DELETE FROM tenants WHERE id = 2`);
    } finally {
      await app.end();
    }
    // The audit chain still verifies: sealing covered the copied rows, and the migration rewrote none.
    const { rows: unsealed } = await before.query(`SELECT count(*)::int AS n FROM audit_log WHERE chain_seq IS NULL`);
    expect(unsealed[0].n).toBe(0);
  });
});

async function tablesOf(client: Client): Promise<string[]> {
  const { rows } = await client.query(`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1`);
  return rows.map((r) => r.relname);
}

/** The columns a row holds of its own (not generated ones), tenant_id aside. */
async function columnsOf(client: Client, table: string): Promise<string[]> {
  const { rows } = await client.query(
    `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' AND attname <> 'tenant_id' ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => r.attname);
}
