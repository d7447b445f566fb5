import type { AppConfig } from '@app/config';
import * as bcrypt from 'bcryptjs';
import { Pool } from 'pg';
import { pgOptions } from './approve-api.bench';
import { BenchFigure } from './bench-result';
import { spawnBenchChild, stopChild } from './child';
import type { Harness } from './harness';
import { HttpClient } from './http-client';
import { fmt, percentile, sample } from './stats';
import { analyzeAsOwner } from './owner';

// BENCH_SECTIONS / BENCH_WINDOW_S: a smaller peak while developing (the committed figures use the defaults).
const SECTIONS = Number(process.env.BENCH_SECTIONS ?? 500);
/** The last hour before the deadline, compressed: every section submits within it. */
const WINDOW_MS = Number(process.env.BENCH_WINDOW_S ?? 60) * 1000;
/** The form's autosave: every few seconds while someone types (after the previous save answered). */
const AUTOSAVE_MS = 3000;
/** Sections where a colleague edits the same entry at the same time: the real version conflicts. */
const SHARED = Math.ceil(SECTIONS / 20);
const COLLEAGUE_MS = 7000;

interface Ack {
  entryId: number;
  version: number;
  progress: string;
}

interface RunResult {
  save: number[];
  submit: number[];
  /** 409 for a version that was really stale (someone else's save came first), or a save after the submit. */
  realConflicts: number;
  /** 409 although the version sent was the current one: a write refused for nothing. */
  falseConflicts: number;
  /** Answers other than 200 and 409, and failed requests. */
  errors: number;
  acks: Ack[];
  requests: number;
  seconds: number;
}

/**
 * The deadline-day peak: 500 sections, each with its staff member on its entry's form, saving a
 * draft every few seconds (the autosave) and submitting at some moment within the last hour
 * (compressed to a minute); in one section of 20 a colleague edits the same entry too. The
 * compiled api in its own process. Afterwards every answered save must be in the version
 * history with what was sent, and every entry submitted with its last answered write.
 */
export async function deadlinePeakBench(h: Harness): Promise<BenchFigure[]> {
  const config = await h.database({ LOGIN_RATE_LIMIT: '100000', DB_POOL_SIZE: '20' });
  const pool = new Pool(pgOptions(config, 4));
  pool.on('error', () => undefined);
  h.cleanup(() => pool.end());
  const { child, match } = await spawnBenchChild('bench/api-child.js', config, /api-ready (\d+)/);
  h.cleanup(() => stopChild(child));
  const city = await setup(pool);
  const client = new HttpClient(Number(match[1]), SECTIONS + SHARED);
  h.cleanup(() => client.close());
  const tokens = await loginAll(client, [...city.writers, ...city.colleagues]);

  const runs: RunResult[] = [];
  const checks: Check[] = [];
  for (let run = 0; run < h.runs; run++) {
    const entries = await openCycle(pool, city, run, config);
    runs.push(await peak(client, tokens, city, entries));
    checks.push(await verify(pool, entries, runs[run].acks));
  }
  // The audit log's hash chain over every row the peak wrote (saves and submits from many
  // connections at once, each version and audit row written by one statement).
  const chain = await client.json('GET', '/api/audit/verify', undefined, await client.login('admin', 'password'));
  const chainOk = chain.status === 200 && chain.body.ok === true;
  const lost = checks.reduce((n, c) => n + c.lost, 0);
  const unacknowledged = checks.reduce((n, c) => n + c.unacknowledged, 0);
  const notSubmitted = checks.reduce((n, c) => n + c.notSubmitted, 0);
  const lastWriteWrong = checks.reduce((n, c) => n + c.lastWriteWrong, 0);
  const falseConflicts = runs.reduce((n, r) => n + r.falseConflicts, 0);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const clean = lost === 0 && unacknowledged === 0 && notSubmitted === 0 && lastWriteWrong === 0 && falseConflicts === 0 && errors === 0 && chainOk;
  const p = (pick: (r: RunResult) => number[], q: number) => sample(runs.map((r) => percentile(pick(r), q)));
  const med = (s: ReturnType<typeof sample>) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  const notes = [
    `${SECTIONS} sections, one staff member each on their entry's form; autosave ${AUTOSAVE_MS / 1000} s after the previous save answered; ` +
      `each submits at a random moment in the ${fmt(WINDOW_MS / 1000, 0)} s window (the last hour before the deadline, compressed); ` +
      `in ${SHARED} sections a colleague also saves the same entry every ${COLLEAGUE_MS / 1000} s until it is submitted, and a writer whose save meets 409 takes the current version and goes on (as the form does after reloading)`,
    `requests per run: ${runs.map((r) => r.requests.toLocaleString()).join(', ')} in ${runs.map((r) => fmt(r.seconds, 0)).join(', ')} s ` +
      `(${runs.map((r) => fmt(r.requests / r.seconds, 0)).join(', ')} requests/s); saves ${runs.map((r) => r.save.length.toLocaleString()).join(', ')}, submits ${runs.map((r) => r.submit.length).join(', ')}`,
    `p50: save ${med(p((r) => r.save, 50))} ms, submit ${med(p((r) => r.submit, 50))} ms; p99 of submit ${med(p((r) => r.submit, 99))} ms`,
    `real version conflicts (409 for a version another save had already replaced, or a save after the submit): ${runs.map((r) => r.realConflicts).join(', ')}; ` +
      `409 for a current version: ${falseConflicts}; other errors: ${errors}`,
    `checked against the database after each run: answered saves and submits missing from the version history or stored with other text: ${lost}; ` +
      `version rows no answer announced: ${unacknowledged}; entries not submitted: ${notSubmitted}; entries whose stored text is not their last answered write: ${lastWriteWrong}`,
    `the audit log's hash chain afterwards (GET /api/audit/verify): ${chainOk ? `intact over ${Number(chain.body.checked).toLocaleString()} rows` : `**broken or not checked** (${chain.status} ${JSON.stringify(chain.body).slice(0, 200)})`}`,
    'no raw baseline: the issue sets none for this peak; the figures are the latencies users see and the integrity checks',
  ];
  return [
    {
      title: 'Deadline-day peak: draft save p99',
      what: `p99 latency of PUT /api/entries/:id (draft save) during the peak below`,
      unit: 'ms',
      measured: p((r) => r.save, 99),
      target: '0 lost or conflicting writes other than real version conflicts',
      met: clean,
      notes,
    },
    {
      title: 'Deadline-day peak: submit p99',
      what: `p99 latency of POST /api/entries/:id/submit during the same peak (the approval route's first step, the notice outbox, version and audit rows)`,
      unit: 'ms',
      measured: p((r) => r.submit, 99),
      target: 'every entry submitted with its last write',
      met: clean,
      notes: ['see the notes of the save figure'],
    },
  ];
}

interface City {
  templateId: number;
  planId: number;
  sectionIds: number[];
  itemIds: number[];
  writers: string[];
  colleagues: string[];
}

async function setup(pool: Pool): Promise<City> {
  const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
  const hash = await bcrypt.hash('password', 4);
  const [head] = await q(
    `INSERT INTO users (login, name, email, roles, password_hash) VALUES ('head', '部長', 'head@bench.example.jp', '{evaluator}', $1) RETURNING id`,
    [hash],
  );
  await q(`INSERT INTO users (login, name, email, roles, password_hash) VALUES ('admin', '管理者', 'admin@bench.example.jp', '{admin}', $1)`, [hash]);
  const [dept] = await q(`INSERT INTO departments (code, name, head_user_id) VALUES ('bench', 'ベンチ部', $1) RETURNING id`, [head.id]);
  const sections = await q(
    `INSERT INTO sections (department_id, code, name) SELECT $1, 's' || g, 'ベンチ' || g || '課' FROM generate_series(1, $2) g ORDER BY g RETURNING id`,
    [dept.id, SECTIONS],
  );
  const sectionIds: number[] = sections.map((s) => s.id);
  await q(
    `INSERT INTO users (login, name, email, roles, password_hash, section_id)
     SELECT 'staff' || n, '職員' || n, 'staff' || n || '@bench.example.jp', '{staff}', $1, s
       FROM unnest($2::int[]) WITH ORDINALITY AS t(s, n)`,
    [hash, sectionIds],
  );
  await q(
    `INSERT INTO users (login, name, email, roles, password_hash, section_id)
     SELECT 'colleague' || n, '同僚' || n, 'colleague' || n || '@bench.example.jp', '{staff}', $1, s
       FROM unnest($2::int[]) WITH ORDINALITY AS t(s, n)`,
    [hash, sectionIds.slice(0, SHARED)],
  );
  const [plan] = await q(`INSERT INTO plans (code, name, kind) VALUES ('bench', 'ベンチ計画', 'program') RETURNING id`);
  const items = await q(`INSERT INTO plan_items (plan_id, number, title) SELECT $1, g, '事業' || g FROM generate_series(1, $2) g ORDER BY g RETURNING id`, [
    plan.id,
    SECTIONS,
  ]);
  const itemIds: number[] = items.map((i) => i.id);
  await q(`INSERT INTO plan_item_sections (item_id, section_id) SELECT i, s FROM unnest($1::int[], $2::int[]) AS t(i, s)`, [itemIds, sectionIds]);
  const [template] = await q(
    `INSERT INTO cycle_templates (code, name, plan_id, period_type, scale_code, fields, approval_route, reminder_schedule)
     VALUES ('bench', 'ベンチ', $1, 'half_year', 'progress4', '[]', '[{"kind":"evaluator","label":"評価者"}]', '{}') RETURNING id`,
    [plan.id],
  );
  return {
    templateId: template.id,
    planId: plan.id,
    sectionIds,
    itemIds,
    writers: sectionIds.map((_, i) => `staff${i + 1}`),
    colleagues: sectionIds.slice(0, SHARED).map((_, i) => `colleague${i + 1}`),
  };
}

/** A fresh opened cycle with every section's entry not started, for one run. */
async function openCycle(pool: Pool, city: City, run: number, config: AppConfig): Promise<number[]> {
  const rules = { scaleCode: 'progress4', fields: [], approvalRoute: [{ kind: 'evaluator', label: '評価者' }], layout: 'list', templateVersion: 1 };
  const year = 2024 + run;
  const {
    rows: [cycle],
  } = await pool.query(
    `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label, submission_deadline, review_deadline, state, opened_at, rules)
     VALUES ($1, $2, $3, $4, $5, 'ベンチ', $6, $7, 'open', now(), $8) RETURNING id`,
    [city.templateId, `${year}-H1`, `${year}-04-01`, `${year}-09-30`, year, `${year}-10-10`, `${year}-10-31`, JSON.stringify(rules)],
  );
  const { rows } = await pool.query(
    `INSERT INTO entries (cycle_id, item_id, section_id, state)
     SELECT $1, i, s, 'not_started' FROM unnest($2::int[], $3::int[]) WITH ORDINALITY AS t(i, s, n) ORDER BY n RETURNING id`,
    [cycle.id, city.itemIds, city.sectionIds],
  );
  await analyzeAsOwner(config, 'ANALYZE entries');
  return rows.map((r) => r.id);
}

async function loginAll(client: HttpClient, logins: string[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < logins.length; i = next++) tokens.set(logins[i], await client.login(logins[i], 'password'));
    }),
  );
  return tokens;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (ms: number) => ms * (0.5 + Math.random());

async function peak(client: HttpClient, tokens: Map<string, string>, city: City, entries: number[]): Promise<RunResult> {
  const result: RunResult = { save: [], submit: [], realConflicts: 0, falseConflicts: 0, errors: 0, acks: [], requests: 0, seconds: 0 };
  const submitted = new Set<number>();
  const start = Date.now();
  // Every write of an entry is answered with its new version; what was acknowledged, per entry, in order.
  const send = async (method: string, path: string, body: { version: number; progress: string }, token: string, entryId: number, into: number[]) => {
    const t0 = process.hrtime.bigint();
    const res = await client.json(method, path, { rating: '○', ...body }, token).catch(() => ({ status: 0, body: null }));
    into.push(Number(process.hrtime.bigint() - t0) / 1e6);
    result.requests++;
    if (res.status === 200) {
      result.acks.push({ entryId, version: res.body.version, progress: body.progress });
      return { ok: true as const, version: res.body.version as number };
    }
    if (res.status === 409) {
      const current = res.body?.currentVersion as number | undefined;
      // Real: the version sent had been replaced by someone else's write, or the entry was submitted.
      if (res.body?.field === 'state' || (current !== undefined && current > body.version)) result.realConflicts++;
      else result.falseConflicts++;
      return { ok: false as const, version: current, state: res.body?.field === 'state' };
    }
    result.errors++;
    return { ok: false as const, version: undefined, state: false };
  };

  const writer = async (i: number) => {
    const entryId = entries[i];
    const token = tokens.get(city.writers[i])!;
    const submitAt = WINDOW_MS * (0.3 + 0.7 * Math.random());
    let version = 1;
    for (let n = 1; ; n++) {
      await sleep(jitter(AUTOSAVE_MS));
      const progress = `第${n}稿: ${'計画どおり進めている。'.repeat(1 + (n % 5))}`;
      if (Date.now() - start >= submitAt) {
        for (let attempt = 0; attempt < 5; attempt++) {
          const r = await send('POST', `/api/entries/${entryId}/submit`, { version, progress }, token, entryId, result.submit);
          if (r.ok) {
            submitted.add(entryId);
            return;
          }
          if (r.version === undefined) return;
          version = r.version;
        }
        return;
      }
      const r = await send('PUT', `/api/entries/${entryId}`, { version, progress }, token, entryId, result.save);
      if (r.version !== undefined) version = r.version;
    }
  };
  const colleague = async (i: number) => {
    const entryId = entries[i];
    const token = tokens.get(city.colleagues[i])!;
    let version = 1;
    for (let n = 1; !submitted.has(entryId); n++) {
      await sleep(jitter(COLLEAGUE_MS));
      if (submitted.has(entryId)) return;
      const r = await send('PUT', `/api/entries/${entryId}`, { version, progress: `同僚の追記${n}` }, token, entryId, result.save);
      if (!r.ok && r.state) return;
      if (r.version !== undefined) version = r.version;
    }
  };
  await Promise.all([...entries.map((_, i) => writer(i)), ...city.colleagues.map((_, i) => colleague(i))]);
  result.seconds = (Date.now() - start) / 1000;
  return result;
}

interface Check {
  lost: number;
  unacknowledged: number;
  notSubmitted: number;
  lastWriteWrong: number;
}

/** Every acknowledged write in the version history with its text; every entry submitted with its last one. */
async function verify(pool: Pool, entries: number[], acks: Ack[]): Promise<Check> {
  const { rows: versions } = await pool.query(`SELECT entry_id, version, data->>'progress' AS progress FROM entry_versions WHERE entry_id = ANY($1)`, [
    entries,
  ]);
  const stored = new Map(versions.map((v) => [`${v.entry_id}:${v.version}`, v.progress as string]));
  const acked = new Map(acks.map((a) => [`${a.entryId}:${a.version}`, a.progress]));
  let lost = 0;
  for (const [key, progress] of acked) if (stored.get(key) !== progress) lost++;
  // Acks may repeat a key only if two answers claimed one version: a duplicate is a lost write too.
  lost += acks.length - acked.size;
  const unacknowledged = [...stored.keys()].filter((k) => !acked.has(k)).length;
  const last = new Map<number, Ack>();
  for (const a of acks) if ((last.get(a.entryId)?.version ?? 0) < a.version) last.set(a.entryId, a);
  const { rows: finals } = await pool.query(`SELECT id, state, version, progress FROM entries WHERE id = ANY($1)`, [entries]);
  const notSubmitted = finals.filter((e) => e.state !== 'submitted').length;
  const lastWriteWrong = finals.filter((e) => last.get(e.id)?.version !== e.version || last.get(e.id)?.progress !== e.progress).length;
  return { lost, unacknowledged, notSubmitted, lastWriteWrong };
}
