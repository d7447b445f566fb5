import { testConfig } from '../../../test/utils/test-database';
import { DatabaseClient } from './database-client';
import { runInTenant } from './tenant-context';

/**
 * The tenant setting of a pooled connection on a real server: each statement runs under the
 * tenant of the context that sent it, and the set_config the client sends first is answered
 * before the statement goes (pg 8 warns of a query() while one runs; pg 9 refuses it).
 */
describe('DatabaseClient tenant setting (real PostgreSQL)', () => {
  const config = testConfig();
  let client: DatabaseClient;
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  const current = `SELECT current_setting('hyoka.tenant_id', true) AS tenant`;

  beforeAll(async () => {
    process.on('warning', onWarning);
    client = new DatabaseClient({
      host: config.DB_HOST,
      port: config.DB_PORT,
      user: config.DB_MIGRATION_USER,
      password: config.DB_MIGRATION_PASSWORD,
      database: 'postgres',
      fallbackTenantId: 1,
    });
    await client.connect();
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await client?.end();
  });

  it("runs each statement under its context's tenant, the fallback outside any", async () => {
    expect((await client.query(current)).rows[0].tenant).toBe('1');
    expect((await runInTenant(7, () => client.query(current))).rows[0].tenant).toBe('7');
    expect((await runInTenant(null, () => client.query(current))).rows[0].tenant).toBe('');
    expect((await runInTenant(7, () => client.query(`${current} WHERE $1::int > 0`, [1]))).rows[0].tenant).toBe('7');
  });

  it('answers the callback form under the tenant too', async () => {
    const tenant = await new Promise<string>((resolve, reject) =>
      runInTenant(9, () =>
        client.query(current, [], (err: Error | null, res: { rows: { tenant: string }[] }) => (err ? reject(err) : resolve(res.rows[0].tenant))),
      ),
    );
    expect(tenant).toBe('9');
  });

  it('sets it again after a rolled-back transaction that changed it', async () => {
    await runInTenant(3, () => client.query('BEGIN'));
    await runInTenant(4, () => client.query(current));
    await client.query('ROLLBACK');
    expect((await runInTenant(4, () => client.query(current))).rows[0].tenant).toBe('4');
  });

  it('never queues a statement behind its tenant setting', async () => {
    for (let i = 0; i < 20; i++) await runInTenant(100 + i, () => client.query(current));
    await new Promise((r) => setImmediate(r));
    expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
  });
});
