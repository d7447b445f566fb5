import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { CyclesService } from '@app/cycles';
import { JobName, QueueName, redisOptions } from '@app/queue';
import { BenchFigure } from './bench-result';
import type { Harness } from './harness';
import { fmt, sample } from './stats';

const CYCLES = 10;
const ITEMS = 30;
const SECTIONS = 10;
const STAFF_PER_SECTION = 30;
const MAILS = SECTIONS * STAFF_PER_SECTION;
const GROWTH_LIMIT = 0.1;

interface Footprint {
  bytes: number;
  keys: number;
  eventsBytes: number;
  eventsLength: number;
  usedMemory: number;
}

/**
 * Ten cycles, one after the other, each opened by CyclesService (entries and reminder slots),
 * one slot made due and relayed through the worker (300 digests sent to an SMTP sink), then
 * force-closed; after each, once the queues are drained, the keys under the prefix are weighed.
 */
export async function redisFlatBench(h: Harness): Promise<BenchFigure> {
  const { app, config, sink } = await h.mailingWorker();
  const db = app.get(DataSource);
  const cycles = app.get(CyclesService, { strict: false });
  const queues = Object.values(QueueName).map((name) => app.get<Queue>(getQueueToken(name), { strict: false }));
  const reminders = app.get<Queue>(getQueueToken(QueueName.Reminders), { strict: false });
  const redis = new Redis(redisOptions(config));
  h.cleanup(() => redis.disconnect());
  const templateId = await setup(db);

  await drained(queues);
  const empty = await footprint(redis, config);
  const after: Footprint[] = [];
  const problems: string[] = [];
  for (let i = 1; i <= CYCLES; i++) {
    const year = 2010 + i;
    const [cycle] = await db.query(
      `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label, submission_deadline, review_deadline)
       VALUES ($1, $2 || '-H1', ($2 || '-04-01')::date, ($2 || '-09-30')::date, $2::int, 'ベンチ ' || $2, current_date + 30, current_date + 45)
       RETURNING id`,
      [templateId, String(year)],
    );
    const opened = await cycles.act(cycle.id, { action: 'open' }, null);
    if (opened.createdEntries !== ITEMS * SECTIONS) problems.push(`cycle ${i}: opened ${opened.createdEntries} entries`);
    // One slot per cycle made due, each in its own past hour: digests of different cycles never merge.
    const [, due] = await db.query(
      `UPDATE reminder_slots SET send_at = date_trunc('hour', now()) - make_interval(hours => $2)
        WHERE id = (SELECT min(id) FROM reminder_slots WHERE cycle_id = $1 AND audience = 'submit')`,
      [cycle.id, i],
    );
    if (due !== 1) problems.push(`cycle ${i}: no submit slot planned`);
    const received = sink.messages.length;
    await reminders.add(JobName.RelayReminders, {}, { removeOnComplete: true, removeOnFail: 100, attempts: 1 });
    await sink.waitFor(() => sink.messages.length >= received + MAILS, 120_000);
    await settled(db);
    await cycles.act(cycle.id, { action: 'force_close', reason: 'ベンチ計測' }, null);
    await drained(queues);
    after.push(await footprint(redis, config));
  }
  if (sink.messages.length !== CYCLES * MAILS) problems.push(`sink received ${sink.messages.length}, expected ${CYCLES * MAILS}`);
  const [rows] = await db.query(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM reminder_mails`);
  if (rows.sent !== CYCLES * MAILS || rows.total !== rows.sent) problems.push(`reminder_mails: ${JSON.stringify(rows)}`);

  const first = after[0];
  const last = after[after.length - 1];
  const kib = (b: number) => b / 1024;
  const growth = last.bytes / first.bytes - 1;
  const growthOutsideEvents = (last.bytes - last.eventsBytes) / (first.bytes - first.eventsBytes) - 1;
  const capped = after.findIndex((f) => f.eventsLength >= 10_000) + 1;
  const plateau = last.bytes / after[after.length - 2].bytes - 1;
  const met = last.keys === first.keys && growthOutsideEvents <= GROWTH_LIMIT && problems.length === 0;
  return {
    title: 'Redis after 10 opened and closed cycles',
    what:
      `memory of every key under the queue prefix (sum of MEMORY USAGE) after each of ${CYCLES} cycles ` +
      `(${(ITEMS * SECTIONS).toLocaleString()} entries, one due slot: ${MAILS} digests relayed, sent and completed through the worker, ` +
      `then force-closed), queues drained; one value per cycle`,
    unit: 'KiB',
    measured: { ...sample(after.map((f) => kib(f.bytes))), runs: after.map((f) => kib(f.bytes)) },
    baseline: sample([kib(empty.bytes)]),
    baselineWhat: `the same prefix after the worker started, before any cycle (${empty.keys} keys: job schedulers and queue metadata)`,
    ratio: last.bytes / first.bytes,
    target: `keys after cycle 10 = after cycle 1; memory outside the events stream within +${GROWTH_LIMIT * 100}%; the events stream within BullMQ's cap of ~10,000 entries`,
    met,
    notes: [
      `after cycle 1: ${first.keys} keys, ${fmt(kib(first.bytes))} KiB (events stream ${first.eventsLength} entries, ${fmt(kib(first.eventsBytes))} KiB); ` +
        `after cycle ${CYCLES}: ${last.keys} keys, ${fmt(kib(last.bytes))} KiB (events stream ${last.eventsLength} entries, ${fmt(kib(last.eventsBytes))} KiB)`,
      `growth cycle 1 → ${CYCLES}: ${fmt(growth * 100)}% in all, ${fmt(growthOutsideEvents * 100)}% outside the events streams`,
      `keys per cycle: ${after.map((f) => f.keys).join(', ')}; events stream entries per cycle: ${after.map((f) => f.eventsLength).join(', ')}`,
      'completed send and relay jobs are removed on completion (removeOnComplete: true), so no job hash outlives its mail; ' +
        "what grows is BullMQ's events stream (about four entries per job), which BullMQ trims to about 10,000 entries " +
        `(streams.events.maxLen): it ${capped > 0 ? `reached the cap after cycle ${capped}, and cycle ${CYCLES - 1} → ${CYCLES} grew ${fmt(plateau * 100)}%` : 'had not reached the cap yet'}; ` +
        'the whole prefix is so bounded by roughly 650 KiB per queue whatever the number of cycles',
      `instance used_memory (shared with whatever else runs on this Redis, so only indicative): empty ${fmt(empty.usedMemory / 2 ** 20)} MiB, ` +
        `after cycle 1 ${fmt(first.usedMemory / 2 ** 20)} MiB, after cycle ${CYCLES} ${fmt(last.usedMemory / 2 ** 20)} MiB`,
      ...(problems.length ? problems : [`all ${(CYCLES * MAILS).toLocaleString()} digests sent once; every reminder_mails row 'sent'`]),
    ],
  };
}

async function setup(db: DataSource): Promise<number> {
  const [dept] = await db.query(`INSERT INTO departments (code, name) VALUES ('bench', 'ベンチ部') RETURNING id`);
  await db.query(`INSERT INTO sections (department_id, code, name) SELECT $1, 'bench-' || g, 'ベンチ課' || g FROM generate_series(1, $2) g`, [
    dept.id,
    SECTIONS,
  ]);
  await db.query(
    `INSERT INTO users (login, name, email, section_id, roles, password_hash)
     SELECT 'u' || s.id || '-' || g, '職員' || g, 'u' || s.id || '-' || g || '@bench.example.jp', s.id, '{staff}', 'x'
       FROM sections s CROSS JOIN generate_series(1, $1) g`,
    [STAFF_PER_SECTION],
  );
  const [plan] = await db.query(`INSERT INTO plans (code, name, kind) VALUES ('bench', 'ベンチ計画', 'program') RETURNING id`);
  await db.query(`INSERT INTO plan_items (plan_id, number, title) SELECT $1, g, '事業' || g FROM generate_series(1, $2) g`, [plan.id, ITEMS]);
  await db.query(`INSERT INTO plan_item_sections (item_id, section_id) SELECT i.id, s.id FROM plan_items i CROSS JOIN sections s WHERE i.plan_id = $1`, [
    plan.id,
  ]);
  const [template] = await db.query(
    `INSERT INTO cycle_templates (code, name, plan_id, period_type, scale_code, fields, approval_route, reminder_schedule)
     VALUES ('bench', 'ベンチ', $1, 'half_year', 'progress4', '[]', '[{"kind":"evaluator","label":"評価者"}]',
             '{"beforeBusinessDays":[7,3],"onDeadline":true,"overdueEveryBusinessDays":2,"overdueMaxCount":5}')
     RETURNING id`,
    [plan.id],
  );
  return template.id;
}

/** Waits until no mail row is still on its way (the sink answers before the row is marked sent). */
async function settled(db: DataSource): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM reminder_mails WHERE status IN ('pending','enqueued','sending')`);
    if (row.n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('reminder mails did not settle');
}

/** Waits until no job is waiting, active or delayed on any queue (the schedulers' next runs are delayed jobs, so they are left out). */
async function drained(queues: Queue[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')));
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) {
      // Let the last completion's removal and events land before weighing.
      await new Promise((r) => setTimeout(r, 300));
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('queues did not drain');
}

async function footprint(redis: Redis, config: AppConfig): Promise<Footprint> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${config.QUEUE_PREFIX}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  let bytes = 0;
  let eventsBytes = 0;
  let eventsLength = 0;
  for (const key of keys) {
    const size = Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
    bytes += size;
    if (key.endsWith(':events')) {
      eventsBytes += size;
      eventsLength += await redis.xlen(key);
    }
  }
  const info = await redis.info('memory');
  const usedMemory = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  return { bytes, keys: keys.length, eventsBytes, eventsLength, usedMemory };
}
