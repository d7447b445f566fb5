import { Client } from 'pg';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { TcpProxy } from './utils/tcp-proxy';
import { createTestApp, TestApp } from './utils/test-app';

const STATEMENT_TIMEOUT_MS = 1500;
const CONNECT_TIMEOUT_MS = 1000;
/** The longest a request may take while the database is unreachable: the client's read timeout (statement timeout + 2 s) and some slack. */
const BOUND_MS = STATEMENT_TIMEOUT_MS + 2000 + 1500;

/**
 * The api reaches PostgreSQL through a loopback TCP proxy the test controls. A partition makes
 * the proxy forward nothing while keeping every connection open (no reset, no FIN: the kernel
 * on each side keeps acknowledging), which is how a dropped link or a stalled failover looks
 * to the driver. Requests must answer 503 within the configured timeouts instead of hanging,
 * and once the network heals the next request must succeed within 5 s. Also here: the server's
 * statement timeout gives a 503, and the work allowed to run long (opening a cycle) is not cut.
 */
describe('faults: database unreachable (network partition) and statement timeouts', () => {
  const proxy = new TcpProxy();
  let t: TestApp;
  let f: CycleFixture;
  let direct: Client;
  let cycleId: number;
  let templateId: number;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    await proxy.start();
    t = await createTestApp({
      DB_PORT: String(proxy.port),
      DB_POOL_SIZE: '4',
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_LONG_STATEMENT_TIMEOUT_MS: '20000',
    });
    f = await createCycleFixture(t);
    // Checks of the rows go around the proxy.
    direct = new Client({
      host: t.config.DB_HOST,
      port: 5432,
      user: t.config.DB_MIGRATION_USER,
      password: t.config.DB_MIGRATION_PASSWORD,
      database: t.config.DB_NAME,
    });
    await direct.connect();
    const auth = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'part', name: '障害試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    templateId = tpl.body.id;
    cycleId = (await t.http().post('/api/cycles').set(auth).send({ templateId, periodKey: '2024-H1' }).expect(201)).body.id;
  }, 60_000);

  afterAll(async () => {
    proxy.heal();
    await direct?.end();
    await t?.close();
    await proxy.stop();
  }, 60_000);

  const mine = () => t.http().get('/api/entries/mine').set(bearer(f.users.staffA.token)).timeout(60_000);

  it('answers 503 within the timeouts while the network is partitioned, and works again within 5 s of the heal', async () => {
    await mine().expect(200);
    proxy.partition();
    const partitionEnds = Date.now() + 8_000;
    const answers: { status: number; ms: number; retryAfter?: string; message?: string }[] = [];
    const health: { status: number; ms: number }[] = [];
    // Four clients keep asking during the whole partition (more than the pool has connections),
    // and /health is asked now and then.
    const client = async () => {
      while (Date.now() < partitionEnds) {
        const started = Date.now();
        const res = await mine();
        answers.push({ status: res.status, ms: Date.now() - started, retryAfter: res.headers['retry-after'], message: res.body.message });
      }
    };
    const prober = async () => {
      while (Date.now() < partitionEnds) {
        const started = Date.now();
        const res = await t.http().get('/health').timeout(60_000);
        health.push({ status: res.status, ms: Date.now() - started });
        await sleep(500);
      }
    };
    await Promise.all([client(), client(), client(), client(), prober()]);
    console.log(
      `partition: ${answers.length} answers, slowest ${Math.max(...answers.map((a) => a.ms))} ms; /health slowest ${Math.max(...health.map((h) => h.ms))} ms`,
    );
    expect(answers.length).toBeGreaterThanOrEqual(8);
    for (const a of answers) {
      expect(a).toMatchObject({ status: 503, retryAfter: '5' });
      expect(a.message).toMatch(/データベース/);
      expect(a.ms).toBeLessThan(BOUND_MS);
    }
    for (const h of health) {
      expect(h.status).toBe(503);
      expect(h.ms).toBeLessThan(2500);
    }

    proxy.heal();
    const healed = Date.now();
    let status = 0;
    while (status !== 200 && Date.now() - healed < 15_000) {
      status = (await mine()).status;
      if (status !== 200) await sleep(100);
    }
    const recoveredMs = Date.now() - healed;
    console.log(`partition healed: first 200 after ${recoveredMs} ms`);
    expect(status).toBe(200);
    expect(recoveredMs).toBeLessThan(5_000);
    await t.http().get('/health').expect(200);
  }, 90_000);

  it('lets the opening of a cycle run past DB_STATEMENT_TIMEOUT_MS (it may take long), and only that transaction', async () => {
    // Every statement that inserts entries takes 2.5 s: more than the statement timeout of 1.5 s.
    await direct.query(`CREATE FUNCTION test_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2.5); RETURN NULL; END $$`);
    await direct.query(`CREATE TRIGGER test_slow_insert AFTER INSERT ON entries FOR EACH STATEMENT EXECUTE FUNCTION test_slow_insert()`);
    try {
      const res = await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' });
      expect(res.status).toBe(200);
      expect(res.body.createdEntries).toBe(4);
    } finally {
      await direct.query(`DROP TRIGGER test_slow_insert ON entries`);
    }
    const { rows } = await direct.query(`SELECT count(*)::int AS n FROM entries WHERE cycle_id = $1`, [cycleId]);
    expect(rows[0].n).toBe(4);
    // The long timeout ended with that transaction: the same pooled connections cancel a long statement again.
    await expect(t.db.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ driverError: { code: '57014' } });
  });
  it('answers 503 when the server cancels a statement past DB_STATEMENT_TIMEOUT_MS, leaving the entry unchanged', async () => {
    const {
      rows: [entry],
    } = await direct.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, f.items[1], f.sections.a]);
    await direct.query(`CREATE FUNCTION test_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(3); RETURN NEW; END $$`);
    await direct.query(`CREATE TRIGGER test_slow_update BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION test_slow()`);
    try {
      const started = Date.now();
      const res = await t.http().put(`/api/entries/${entry.id}`).set(bearer(f.users.staffA.token)).send({ version: entry.version, progress: '遅い保存' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await direct.query(`DROP TRIGGER test_slow_update ON entries`);
    }
    const { rows } = await direct.query(`SELECT version, progress FROM entries WHERE id = $1`, [entry.id]);
    expect(rows[0]).toEqual({ version: entry.version, progress: null });
  });
});
