import { Client } from 'pg';
import { ApiProcess, startApiProcess, stopApiProcess } from './utils/api-process';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { KeepAliveClient } from './utils/keep-alive-client';
import { createTestApp, TestApp } from './utils/test-app';

const CLIENTS = 32;
const SLOW = 4;
const GRACE_SECONDS = 10;

interface Sent {
  sentAt: number;
  doneAt: number;
  status?: number;
  connection?: string;
  error?: string;
}

/**
 * SIGTERM to the compiled api (a deploy) while 32 keep-alive clients keep it busy and four
 * saves are held 4 s inside the database by a sleeping trigger. The api must stop accepting,
 * answer every request it had (the slow saves included: complete 200s), tell the keep-alive
 * clients to go (Connection: close) instead of serving them on, and exit within
 * SHUTDOWN_GRACE_SECONDS.
 */
describe('faults: SIGTERM to the api under keep-alive load', () => {
  let t: TestApp;
  let f: CycleFixture;
  let db: Client;
  let api: ApiProcess | undefined;
  const slowEntries: { id: number; version: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const auth = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'term', name: '停止試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycleId = (await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, periodKey: '2024-H1' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(auth).send({ action: 'open' }).expect(200);
    for (let i = 0; i < SLOW; i++) {
      const itemId = await build(t).item({ planId: f.planId, number: 200 + i, title: '停止試験', sections: [f.sections.a] });
      const row = await build(t).entry({
        cycleId: cycleId,
        itemId,
        sectionId: f.sections.a,
        state: 'draft',
        editor: f.users.staffA.id,
        rating: null,
        progress: null,
      });
      slowEntries.push(row);
    }
    db = new Client({
      host: t.config.DB_HOST,
      port: t.config.DB_PORT,
      user: t.config.DB_MIGRATION_USER,
      password: t.config.DB_MIGRATION_PASSWORD,
      database: t.config.DB_NAME,
    });
    await db.connect();
    await db.query(`CREATE FUNCTION test_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(4); RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER test_slow BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION test_slow()`);
    api = await startApiProcess(t.config, { SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS), DB_POOL_SIZE: '40', LOG_LEVEL: 'log' });
  }, 120_000);

  afterAll(async () => {
    await stopApiProcess(api);
    await db?.end();
    await t?.close();
  }, 60_000);

  it('finishes every request in flight, closes the keep-alive connections and exits within the grace period', async () => {
    const http = new KeepAliveClient(api!.port, CLIENTS + SLOW);
    const sent: Sent[] = [];
    const send = async (method: string, path: string, body?: unknown) => {
      const s: Sent = { sentAt: Date.now(), doneAt: 0 };
      sent.push(s);
      try {
        const res = await http.request(method, path, body, f.users.staffA.token, 30_000);
        Object.assign(s, { status: res.status, connection: res.headers.connection });
      } catch (error) {
        s.error = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      }
      s.doneAt = Date.now();
      return s;
    };
    let sigtermAt = Infinity;
    const deadline = () => Date.now() > sigtermAt + 20_000;
    const loop = async () => {
      // Until the api refuses new connections: it is gone.
      while (!deadline()) {
        const s = await send('GET', '/api/entries/mine');
        if (s.error === 'ECONNREFUSED') return;
      }
    };
    const loops = Array.from({ length: CLIENTS }, loop);
    await new Promise((r) => setTimeout(r, 1_000));
    const slow = slowEntries.map((e) => send('PUT', `/api/entries/${e.id}`, { version: e.version, progress: '停止中の保存' }));
    // The signal comes once every slow save is inside the database (on a loaded machine that can take a while).
    let sleeping = 0;
    for (let i = 0; i < 600 && sleeping < SLOW; i++) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event = 'PgSleep'`, [t.config.DB_NAME]);
      sleeping = rows[0].n;
      if (sleeping < SLOW) await new Promise((r) => setTimeout(r, 50));
    }
    expect(sleeping).toBe(SLOW);
    sigtermAt = Date.now();
    api!.child.kill('SIGTERM');
    const exit = await api!.exited;
    const exitMs = Date.now() - sigtermAt;
    await Promise.all(loops);
    const slowDone = await Promise.all(slow);
    http.close();

    const inFlight = sent.filter((s) => s.sentAt < sigtermAt && (s.doneAt === 0 || s.doneAt >= sigtermAt));
    const after = sent.filter((s) => s.sentAt >= sigtermAt);
    const servedAfter = after.filter((s) => s.status !== undefined);
    const errors = sent.filter((s) => s.error).reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.error!]: (acc[s.error!] ?? 0) + 1 }), {});
    console.log(
      `SIGTERM: exited ${JSON.stringify(exit)} after ${exitMs} ms; ${sent.length} requests, ${inFlight.length} in flight at SIGTERM, ` +
        `${servedAfter.length} of ${after.length} sent later answered; errors ${JSON.stringify(errors)}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(GRACE_SECONDS * 1000);
    // The slow saves were in flight: complete answers, and their rows committed.
    expect(slowDone.map((s) => s.status)).toEqual(Array(SLOW).fill(200));
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM entries WHERE progress = '停止中の保存'`);
    expect(rows[0].n).toBe(SLOW);
    // Every request the api had when the signal came got a complete answer.
    expect(inFlight.length).toBeGreaterThanOrEqual(SLOW);
    expect(inFlight.filter((s) => s.status === undefined).map((s) => s.error)).toEqual([]);
    // After the signal, each keep-alive connection carries at most the one request already on
    // its way, answered with Connection: close; the clients then find the port closed.
    expect(servedAfter.length).toBeLessThanOrEqual(CLIENTS + SLOW);
    for (const s of servedAfter) expect(s.connection).toBe('close');
    expect(Object.keys(errors).filter((e) => e !== 'ECONNREFUSED')).toEqual([]);
    expect(api!.output()).toMatch(/\[shutdown\].*stopped/);
  }, 90_000);
});
