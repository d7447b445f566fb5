import type { Client } from 'pg';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

/**
 * PostgreSQL drops the api's connections while an entry transition is in flight. A trigger
 * that sleeps inside the entry UPDATE holds the transaction open; an admin connection then
 * terminates every backend of the api (pg_terminate_backend). The request must fail cleanly
 * (503 with a Japanese message, nothing half-written: same version and state, no version row,
 * no audit row) and the next request must succeed on fresh connections.
 */
describe('faults: database connections dropped during a transition', () => {
  let t: TestApp;
  let f: CycleFixture;
  let admin: Client;
  let cycleId: number;
  let n = 300;

  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_SIZE: '4' });
    f = await createCycleFixture(t);
    admin = await adminClient(t.config);
    const auth = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'fault', name: '障害試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    cycleId = (await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, periodKey: '2024-H1' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(auth).send({ action: 'open' }).expect(200);
    const owner = await adminClient(t.config, t.config.DB_NAME);
    await owner.query(`
      CREATE FUNCTION test_slow_entry_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$`);
    await owner.end();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  async function entry(state: 'draft' | 'submitted'): Promise<{ id: number; version: number }> {
    const itemId = await build(t).item({ planId: f.planId, number: n++, title: '障害試験', sections: [f.sections.a] });
    const submitted = state === 'submitted';
    return build(t).entry({
      cycleId,
      itemId,
      sectionId: f.sections.a,
      state,
      author: submitted ? f.users.staffA.id : null,
      editor: f.users.staffA.id,
      rating: '○',
      progress: '計画どおり',
      submittedAt: submitted ? new Date() : null,
    });
  }

  const stateOf = async (id: number) =>
    (
      await t.db.query(
        `SELECT e.state, e.version, e.current_step,
                (SELECT count(*)::int FROM entry_versions v WHERE v.entry_id = e.id) AS versions,
                (SELECT count(*)::int FROM audit_log a WHERE a.subject_type = 'entry' AND a.subject_id = e.id::text) AS audits
           FROM entries e WHERE e.id = $1`,
        [id],
      )
    )[0];

  /** Waits until an api backend sleeps in the trigger, then terminates every backend of the api. */
  async function killApiConnectionsMidTransaction(): Promise<number> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event = 'PgSleep' AND state = 'active'`, [
        t.config.DB_NAME,
      ]);
      if (rows.length) {
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hyoka' AND pid <> pg_backend_pid()`,
          [t.config.DB_NAME],
        );
        return killed.rowCount ?? 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the transition never reached the sleeping trigger');
  }

  /** The trigger is added and dropped through the owner's connection: the api's pool is what we break. */
  async function withSlowTrigger<T>(run: () => Promise<T>): Promise<T> {
    const db = await adminClient(t.config, t.config.DB_NAME);
    try {
      await db.query(`CREATE TRIGGER test_slow BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION test_slow_entry_update()`);
      return await run();
    } finally {
      await db.query(`DROP TRIGGER IF EXISTS test_slow ON entries`);
      await db.end();
    }
  }

  /** The first request after the drop may still draw a dead pooled connection; it must be a clean 503, and a retry must work. */
  async function eventually(send: () => Promise<{ status: number; body: any }>) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await send();
      if (res.status !== 503) return res;
      expect(res.body.message).toMatch(/データベース/);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('still 503 after 5 attempts');
  }

  it.each([
    [
      'submit',
      'draft',
      (id: number, version: number) =>
        t.http().post(`/api/entries/${id}/submit`).set(bearer(f.users.staffA.token)).send({ version, rating: '○', progress: '計画どおり進めている' }),
    ],
    ['approve', 'submitted', (id: number, version: number) => t.http().post(`/api/entries/${id}/approve`).set(bearer(f.users.chiefA.token)).send({ version })],
  ] as const)(
    'fails a %s cleanly with 503 when its connection is terminated mid-transaction, then works again',
    async (action, state, send) => {
      const e = await entry(state);
      const before = await stateOf(e.id);

      const res = await withSlowTrigger(async () => {
        const pending = send(e.id, e.version).then((r) => r);
        expect(await killApiConnectionsMidTransaction()).toBeGreaterThan(0);
        return pending;
      });

      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, error: 'unavailable' });
      expect(res.body.message).toMatch(/データベースとの接続が切れた/);
      expect(res.headers['retry-after']).toBe('5');
      expect(JSON.stringify(res.body)).not.toMatch(/terminating|pg_|stack|at /);

      const after = await eventually(() =>
        t.db
          .query('SELECT 1')
          .then(() => stateOf(e.id))
          .then((row) => ({ status: 200, body: row })),
      );
      expect(after.body).toEqual(before);

      const retry = await eventually(() => send(e.id, e.version));
      expect(retry.status).toBe(200);
      expect(retry.body.version).toBe(e.version + 1);
      const final = await stateOf(e.id);
      expect(final).toMatchObject({ version: e.version + 1, versions: before.versions + 1, audits: before.audits + 1 });
      const [audit] = await t.db.query(
        `SELECT action, after->>'version' AS version FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 ORDER BY id DESC LIMIT 1`,
        [String(e.id)],
      );
      expect(audit).toEqual({ action: `entry.${action}`, version: String(e.version + 1) });
    },
    30_000,
  );

  it('recovers by itself when idle pooled connections are terminated between requests', async () => {
    await t.http().get('/api/entries/mine').set(bearer(f.users.staffA.token)).expect(200);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hyoka'`, [t.config.DB_NAME]);
    const res = await eventually(() => t.http().get('/api/entries/mine').set(bearer(f.users.staffA.token)));
    expect(res.status).toBe(200);
  });
});
