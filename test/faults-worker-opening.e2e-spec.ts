import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { JobName, QueueName, redisOptions } from '@app/queue';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';

const ITEMS = 4000;
const SECTIONS = 5;

/**
 * A worker killed with SIGKILL while it opens a cycle, at several moments: the cycle is never
 * half-open (open with part of its entries, or draft with entries), and the next run opens it
 * exactly once.
 */
describe('faults: worker killed during cycle opening', () => {
  let t: TestApp;
  let f: CycleFixture;
  let queue: Queue;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    // A plan of 4,000 items × 5 sections = 20,000 entries, so opening takes long enough to be interrupted.
    const b = build(t);
    const plan = { id: await b.plan({ code: 'big', name: '大規模計画', kind: 'program' }) };
    // Fixture has three sections; add two more in the same department.
    const sections = [
      f.sections.a,
      f.sections.b,
      f.sections.c,
      await b.section({ departmentId: f.departmentId, code: 'd', name: '道路建設課' }),
      await b.section({ departmentId: f.departmentId, code: 'e', name: '下水道整備課' }),
    ];
    expect(sections).toHaveLength(SECTIONS);
    await b.items({ planId: plan.id, count: ITEMS, firstNumber: 1, title: '事業', sections });
    await t
      .http()
      .post('/api/templates')
      .set({ Authorization: `Bearer ${f.users.planning.token}` })
      .send({ code: 'big-m', name: '大規模 月次', planId: plan.id, periodType: 'monthly', scaleCode: 'progress4', autoOpen: true })
      .expect(201);
    queue = new Queue(QueueName.Cycles, { connection: redisOptions(t.config), prefix: t.config.QUEUE_PREFIX });
  });

  afterAll(async () => {
    if (child) await killWorkerProcess(child);
    await queue.close();
    await t.close();
  });

  async function state() {
    const cycles: { id: number; state: string }[] = await t.db.query(`SELECT id, state FROM cycles`);
    const [{ entries }] = await t.db.query(`SELECT count(*)::int AS entries FROM entries`);
    const [{ slots }] = await t.db.query(`SELECT count(*)::int AS slots FROM reminder_slots`);
    return { cycles, entries, slots };
  }

  async function reset() {
    await t.db.query(`DELETE FROM reminder_mails; DELETE FROM reminder_slots; DELETE FROM entries; DELETE FROM cycles;`);
    await queue.obliterate({ force: true });
  }

  const expected = async () =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM plan_item_sections pis JOIN plan_items i ON i.id = pis.item_id JOIN plans p ON p.id = i.plan_id WHERE p.code = 'big'`,
      )
    )[0].n as number;

  /** Waits until the worker's connection is running the bulk INSERT of entries (mid-transaction). */
  async function insertInFlight(timeoutMs = 20_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const rows = await t.db.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
            AND query LIKE 'INSERT INTO entries%' AND pid <> pg_backend_pid()`,
      );
      if (rows.length) return true;
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }

  const killPoints: [string, () => Promise<unknown>][] = [
    ['30 ms after the job is queued', () => new Promise((r) => setTimeout(r, 30))],
    ['while the bulk INSERT of entries runs', async () => expect(await insertInFlight()).toBe(true)],
    ['800 ms after the job is queued', () => new Promise((r) => setTimeout(r, 800))],
  ];

  for (const [label, waitForKillPoint] of killPoints) {
    const killAfterMs = label.replace(/\W+/g, '-');
    it(`leaves no half-opened cycle when killed ${label}, and the next run opens it once`, async () => {
      await reset();
      const total = await expected();
      expect(total).toBe(ITEMS * SECTIONS);
      child = await startWorkerProcess(t.config);
      await queue.add(JobName.OpenDueCycles, {}, { jobId: `kill-${killAfterMs}` });
      await waitForKillPoint();
      await killWorkerProcess(child);
      child = null;

      const after = await state();
      // Either nothing happened yet, or the cycle exists as a draft with no entries, or it is fully open.
      for (const c of after.cycles) {
        if (c.state === 'draft') expect(after.entries).toBe(0);
        else expect({ state: c.state, entries: after.entries }).toEqual({ state: 'open', entries: total });
      }
      if (after.cycles.length === 0) expect(after.entries).toBe(0);
      if (after.entries === 0) expect(after.slots).toBe(0);

      // The next scheduler tick (here: another job) after a restart finishes the work exactly once.
      child = await startWorkerProcess(t.config);
      await queue.add(JobName.OpenDueCycles, {}, { jobId: `rerun-${killAfterMs}` });
      const deadline = Date.now() + 40_000;
      let final = await state();
      while (!(final.cycles[0]?.state === 'open' && final.entries === total) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        final = await state();
      }
      expect(final.cycles).toEqual([{ id: expect.any(Number), state: 'open' }]);
      expect(final.entries).toBe(total);
      const [{ opens }] = await t.db.query(`SELECT count(*)::int AS opens FROM audit_log WHERE action = 'cycle.open' AND subject_id = $1`, [
        String(final.cycles[0].id),
      ]);
      expect(opens).toBe(1);
      await killWorkerProcess(child);
      child = null;
    }, 90_000);
  }
});
