import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const ENTRIES = 200;
const IN_FLIGHT = 40;
/** Far fewer connections than requests in flight: an action that took a second connection would starve the pool. */
const DB_POOL_SIZE = '5';
/**
 * 40 requests queue for 5 connections; on a loaded machine the wait for a free one can pass the
 * production 5 s and answer 503, which says nothing about the race. An action that starved the
 * pool would still fail here, by this timeout.
 */
const DB_CONNECT_TIMEOUT_MS = '45000';

/** Runs the tasks with at most `limit` of them in flight at once. */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

describe('approvals: two approvers racing on the same step', () => {
  let t: TestApp;
  let f: CycleFixture;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_SIZE, DB_CONNECT_TIMEOUT_MS });
    f = await createCycleFixture(t);
  });
  afterAll(() => t?.close());

  it(`gives exactly one 200 and one 409 per entry over ${ENTRIES} entries, advancing each step once`, async () => {
    const tpl = (
      await t
        .http()
        .post('/api/templates')
        .set(auth(f.users.planning.token))
        .send({ code: 'race', name: '競合試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
        .expect(201)
    ).body;
    const cycle = (await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, periodKey: '2024-H1' }).expect(201)).body;
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(200);

    // Setup by SQL: items for section A and their entries, already submitted by staff A.
    const b = build(t);
    const itemIds = await b.items({ planId: f.planId, count: ENTRIES, firstNumber: 1001, title: '競合試験項目', sections: [f.sections.a] });
    const entries = (
      await b.entriesFor({ cycleId: cycle.id, itemIds, sectionId: f.sections.a, state: 'submitted', author: f.users.staffA.id, editor: f.users.staffA.id })
    ).map((id) => ({ id }));
    expect(entries).toHaveLength(ENTRIES);

    const second = { id: await b.user({ login: 'chief-a2', name: '副課長', section: f.sections.a, roles: ['chief'] }) };
    const login = await t.http().post('/api/auth/login').send({ login: 'chief-a2', password: 'password' }).expect(200);
    const approvers = [f.users.chiefA.token, login.body.accessToken as string];

    const tasks = entries.flatMap((e) =>
      approvers.map((token) => async () => {
        const res = await t.http().post(`/api/entries/${e.id}/approve`).set(auth(token)).send({ version: 1 });
        return { id: e.id, status: res.status, field: res.body.field as string | undefined };
      }),
    );
    const results = await pooled(tasks, IN_FLIGHT);

    for (const e of entries) {
      const mine = results.filter((r) => r.id === e.id);
      expect([e.id, mine.map((r) => r.status).sort()]).toEqual([e.id, [200, 409]]);
      expect(mine.find((r) => r.status === 409)!.field).toBe('version');
    }
    const rows = await t.db.query(
      `SELECT e.state, e.current_step, e.version,
              (SELECT count(*)::int FROM entry_versions v WHERE v.entry_id = e.id) AS versions,
              (SELECT count(*)::int FROM audit_log a WHERE a.subject_type = 'entry' AND a.subject_id = e.id::text AND a.action = 'entry.approve') AS approvals
         FROM entries e WHERE e.id = ANY($1)`,
      [entries.map((e) => e.id)],
    );
    expect(rows).toHaveLength(ENTRIES);
    for (const r of rows) expect(r).toEqual({ state: 'in_review', current_step: 1, version: 2, versions: 1, approvals: 1 });
    const winners = await t.db.query(`SELECT actor_user_id, count(*)::int AS n FROM audit_log WHERE action = 'entry.approve' GROUP BY actor_user_id`);
    expect(winners.reduce((sum: number, w: { n: number }) => sum + w.n, 0)).toBe(ENTRIES);
    expect(winners.every((w: { actor_user_id: number }) => [f.users.chiefA.id, second.id].includes(w.actor_user_id))).toBe(true);
  }, 180_000);
});
