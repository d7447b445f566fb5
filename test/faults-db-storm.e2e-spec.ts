import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { ApiProcess, isRunning, startApiProcess, stopApiProcess } from './utils/api-process';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { Answer, KeepAliveClient } from './utils/keep-alive-client';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';

const LOOPS = 12;
const STORM_MS = 6_000;

/**
 * A termination storm, as a failover or an operator's pg_terminate_backend does it: every
 * backend of the application (application_name 'hyoka') in the suite's database is terminated
 * every 150 ms for 6 s, while 12 keep-alive clients save drafts, read their entries and sign in
 * against the compiled api in its own process, and a worker process relays and sweeps every
 * second. Both processes must live through it, every answer must be a 2xx or a clean 503 (never
 * a 500, never a dropped connection), and requests must succeed again right after.
 */
describe('faults: every database backend terminated again and again under load', () => {
  let t: TestApp;
  let f: CycleFixture;
  let admin: Client;
  let api: ApiProcess | undefined;
  let worker: ChildProcess | undefined;
  let http: KeepAliveClient;
  const entries: { id: number; version: number }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '100000' });
    f = await createCycleFixture(t);
    admin = new Client({ host: t.config.DB_HOST, port: t.config.DB_PORT, user: t.config.DB_USER, password: t.config.DB_PASSWORD, database: 'postgres' });
    await admin.connect();
    const auth = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'storm', name: '障害試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycleId = (await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, periodKey: '2024-H1' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(auth).send({ action: 'open' }).expect(200);
    for (let i = 0; i < LOOPS; i++) {
      const itemId = await build(t).item({ planId: f.planId, number: 100 + i, title: '障害試験', sections: [f.sections.a] });
      const row = await build(t).entry({
        cycleId: cycleId,
        itemId,
        sectionId: f.sections.a,
        state: 'draft',
        editor: f.users.staffA.id,
        rating: null,
        progress: null,
      });
      entries.push(row);
    }
    api = await startApiProcess(t.config, { DB_POOL_SIZE: '6', LOG_LEVEL: 'error' });
    worker = await startWorkerProcess({ ...t.config, REMINDER_RELAY_EVERY_SECONDS: 1, REMINDER_SWEEP_EVERY_SECONDS: 1, DB_POOL_SIZE: 4 });
    http = new KeepAliveClient(api.port, LOOPS + 4);
  }, 120_000);

  afterAll(async () => {
    http?.close();
    await stopApiProcess(api);
    if (worker) await killWorkerProcess(worker);
    await admin?.end();
    await t?.close();
  }, 60_000);

  const terminateAll = async () =>
    (await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hyoka'`, [t.config.DB_NAME]))
      .rowCount ?? 0;

  it('keeps the api and the worker running, answers only 2xx or 503, and works again at once', async () => {
    const answers: Answer[] = [];
    const dropped: string[] = [];
    let stop = false;
    const send = async (method: string, path: string, body?: unknown, token?: string) => {
      try {
        const res = await http.request(method, path, body, token, 30_000);
        answers.push(res);
        return res;
      } catch (error) {
        dropped.push(`${method} ${path}: ${(error as Error).message}`);
        return null;
      }
    };
    const loop = async (n: number) => {
      const entry = entries[n];
      let version = entry.version;
      for (let i = 0; !stop; i++) {
        const saved = await send('PUT', `/api/entries/${entry.id}`, { version, progress: `嵐 ${n}-${i}` }, f.users.staffA.token);
        if (saved?.status === 200) version = saved.body.version;
        // A 503 may have come after the commit: read the version back before the next save.
        else if (saved?.status === 503) {
          const read = await send('GET', `/api/entries/${entry.id}`, undefined, f.users.staffA.token);
          if (read?.status === 200) version = read.body.entry.version;
        }
        await send('GET', '/api/entries/mine', undefined, f.users.staffA.token);
        if (i % 5 === n % 5) await send('POST', '/api/auth/login', { login: 'chief-a', password: 'password' });
      }
    };
    const running = Array.from({ length: LOOPS }, (_, n) => loop(n));
    let terminated = 0;
    const stormEnds = Date.now() + STORM_MS;
    while (Date.now() < stormEnds) {
      terminated += await terminateAll();
      await new Promise((r) => setTimeout(r, 150));
    }
    // The storm is over: the clients go on a moment on fresh connections.
    await new Promise((r) => setTimeout(r, 1_500));
    stop = true;
    await Promise.all(running);

    const byStatus = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
    console.log(`storm: ${terminated} backends terminated, ${answers.length} answers ${JSON.stringify(byStatus)}, ${dropped.length} dropped`);
    expect(terminated).toBeGreaterThan(20);
    // A crash leaves its reason at the end of the api's output.
    expect(isRunning(api!.child) ? 'running' : api!.output().slice(-3000)).toBe('running');
    expect(isRunning(worker!)).toBe(true);
    expect(api!.output()).not.toMatch(/Unhandled 'error' event/);
    expect(dropped.slice(0, 10)).toEqual([]);
    const unexpected = answers.filter((a) => !(a.status >= 200 && a.status < 300) && a.status !== 503);
    expect(unexpected.slice(0, 10).map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.headers['retry-after']).toBe('5');
      expect(a.body.message).toMatch(/データベース/);
    }
    expect(byStatus[200]).toBeGreaterThan(50);

    // Right after: the next requests work (fresh connections), in the api and in this process.
    const after = await http.request('GET', '/api/entries/mine', undefined, f.users.staffA.token);
    expect(after.status).toBe(200);
    const health = await http.request('GET', '/health');
    expect(health.body.info?.database?.status).toBe('up');
    // The worker still works: it answers for its queue on /health.
    expect(health.body.info?.queues?.workersMissing ?? []).toEqual([]);
  }, 90_000);
});
