import * as bcrypt from 'bcryptjs';
import { Pool } from 'pg';
import type { PoolClient } from 'pg';
import type { AppConfig } from '@app/config';
import { BenchFigure } from './bench-result';
import { countQueries, cpuMsOf, spawnBenchChild, stopChild } from './child';
import type { Harness } from './harness';
import { HttpClient } from './http-client';
import { fmt, percentile, sample } from './stats';
import { analyzeAsOwner } from './owner';

const CLIENTS = 32;
// BENCH_PER_RUN: fewer entries per run while developing (the committed figures use the default).
const PER_RUN = Number(process.env.BENCH_PER_RUN ?? 3000);
const WARM_UP = 300;
const SERIAL = 200;
const COUNTED = 50;

interface RunResult {
  latencies: number[];
  errors: number;
  seconds: number;
}

/** A run with the CPU time per request (ms) of the api process, of this process and of the PostgreSQL backends. */
type Measured = RunResult & { cpu: { api: number; apiSystem: number; self: number; db: number } };

/** The locked entry with what the approval's rules read, as EntriesService.lock asks for it. */
const LOCK_SQL = `SELECT e.*, c.state AS cycle_state, c.template_id, c.rules, c.fiscal_year, s.department_id, i.evaluator_user_id
  FROM entries e JOIN cycles c ON c.id = e.cycle_id JOIN sections s ON s.id = e.section_id JOIN plan_items i ON i.id = e.item_id
 WHERE e.id = $1 FOR UPDATE OF e`;

const EDITABLE = ['rating', 'progress', 'fiscal_goal', 'short_term_plan', 'kpi_actuals', 'reason', 'next_steps', 'values'] as const;
const snapshot = (row: Record<string, unknown>) => Object.fromEntries(EDITABLE.map((k) => [k, row[k]]));

/**
 * POST /api/entries/:id/approve from 32 keep-alive clients, each request a distinct submitted
 * entry on a one-step evaluator route, against the api in its own process. Two baselines from
 * 32 pooled pg connections: the statements an approval cannot do without (lock, UPDATE, version
 * row, audit row, sealed into the hash chain by the same commit-time trigger) in one
 * transaction, and the bare versioned UPDATE for context.
 */
export async function approveApiBench(h: Harness): Promise<BenchFigure[]> {
  const config = await h.database({ DB_POOL_SIZE: String(CLIENTS), LOGIN_RATE_LIMIT: '1000' });
  const pool = new Pool(pgOptions(config, CLIENTS));
  pool.on('error', () => undefined);
  h.cleanup(() => pool.end());
  // The api's boot writes the built-in rating scales the template refers to.
  const { child, match } = await spawnBenchChild('bench/api-child.js', config, /api-ready (\d+)/, 60_000, { BENCH_COUNT_QUERIES: '1' });
  h.cleanup(() => stopChild(child));
  const { evaluatorId, ...ids } = await setup(pool, h.runs, config);
  const client = new HttpClient(Number(match[1]), CLIENTS);
  h.cleanup(() => client.close());
  const token = await client.login('evaluator', 'password');

  const approve = async (id: number, version: number) => {
    const res = await client.json('POST', `/api/entries/${id}/approve`, { version }, token);
    return res.status === 200 && res.body.state === 'accepted';
  };
  const update = async (id: number, version: number) => {
    const res = await pool.query(
      `UPDATE entries SET current_step = current_step + 1, state = 'accepted', version = version + 1 WHERE id = $1 AND version = $2`,
      [id, version],
    );
    return res.rowCount === 1;
  };
  const transaction = rawApproval(pool, evaluatorId);

  await drive(await submitted(pool, ids.warmApi), approve);
  await drive(await submitted(pool, ids.warmTx), transaction);
  await drive(await submitted(pool, ids.warmRaw), update);
  // What one approval sends to the database: one client, so nothing else is counted.
  const countEntries = await submitted(pool, ids.count);
  const counted = await countQueries(child, () => drive(countEntries, approve, 1));
  if (process.env.BENCH_PRINT_QUERIES) console.log(counted.texts);
  // One client alone: the service time of one request, without waiting behind the others.
  const serialApi = await drive(await submitted(pool, ids.serialApi), approve, 1);
  const serialTx = await drive(await submitted(pool, ids.serialTx), transaction, 1);
  const serialRaw = await drive(await submitted(pool, ids.serialRaw), update, 1);
  // CPU time per approval (less at the mercy of the machine's load than latency): the api
  // process and the PostgreSQL backends, against this process's pg client and the same backends.
  const backends = async (): Promise<number[]> =>
    (
      await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`)
    ).rows.map((r) => r.pid);
  const withCpu = async (fn: () => Promise<RunResult>) => {
    const pids = [child.pid!, ...(await backends())];
    const before = cpuMsOf(pids);
    const apiSystem = cpuMsOf([child.pid!], true).get(child.pid!) ?? 0;
    const own = process.cpuUsage();
    const result = await fn();
    const used = process.cpuUsage(own);
    const ownMs = (used.user + used.system) / 1000;
    const all = [...new Set([...pids, ...(await backends())])];
    const after = cpuMsOf(all);
    const apiSystemAfter = cpuMsOf([child.pid!], true).get(child.pid!) ?? 0;
    const delta = (pid: number) => (after.get(pid) ?? before.get(pid) ?? 0) - (before.get(pid) ?? 0);
    const n = result.latencies.length;
    const db = all.filter((pid) => pid !== child.pid).reduce((sum, pid) => sum + delta(pid), 0);
    return { ...result, cpu: { api: delta(child.pid!) / n, apiSystem: (apiSystemAfter - apiSystem) / n, self: ownMs / n, db: db / n } };
  };
  const api: Measured[] = [];
  const tx: Measured[] = [];
  const raw: RunResult[] = [];
  for (let run = 0; run < h.runs; run++) {
    api.push(await withCpu(async () => drive(await submitted(pool, ids.api[run]), approve)));
    tx.push(await withCpu(async () => drive(await submitted(pool, ids.tx[run]), transaction)));
    raw.push(await drive(await submitted(pool, ids.raw[run]), update));
  }
  const cpuOf = (runs: Measured[], key: keyof Measured['cpu']) => sample(runs.map((r) => r.cpu[key]));
  // Every approval through the api and the raw transaction left its version row and audit row.
  const [written] = (
    await pool.query(
      `SELECT (SELECT count(*)::int FROM entry_versions WHERE state = 'accepted') AS versions,
              (SELECT count(*)::int FROM audit_log WHERE action = 'entry.approve') AS audits,
              (SELECT count(*)::int FROM entries WHERE state = 'accepted' AND id = ANY($1)) AS accepted`,
      [[...ids.warmApi, ...ids.warmTx, ...ids.count, ...ids.serialApi, ...ids.serialTx, ...ids.api.flat(), ...ids.tx.flat()]],
    )
  ).rows;

  const p = (runs: RunResult[], q: number) => sample(runs.map((r) => percentile(r.latencies, q)));
  const rate = (runs: RunResult[]) => sample(runs.map((r) => r.latencies.length / r.seconds));
  const errors = [...api, serialApi].reduce((n, r) => n + r.errors, 0);
  const txErrors = [...tx, serialTx].reduce((n, r) => n + r.errors, 0);
  const rawErrors = [...raw, serialRaw].reduce((n, r) => n + r.errors, 0);
  const clean = errors === 0 && txErrors === 0 && written.accepted === written.versions && written.versions === written.audits;
  const med = (s: ReturnType<typeof sample>, digits = 1) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
  const perRequest = (n: number) => fmt(n / countEntries.length, 2);
  const statementList = Object.entries(counted.statements)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${perRequest(n)}`)
    .join(', ');
  const serial = (r: RunResult) => sample([percentile(r.latencies, 50)]);
  const p99 = { api: p(api, 99), tx: p(tx, 99) };
  const throughput = { api: rate(api), tx: rate(tx) };
  const service = { api: percentile(serialApi.latencies, 50), tx: percentile(serialTx.latencies, 50) };
  const common: string[] = [
    `statements per approval, counted in the api process over ${countEntries.length} approvals from one client (pg query() calls; each is one round trip): ` +
      `${perRequest(counted.roundTrips)} round trips — ${statementList}; the raw transaction: 6 (BEGIN, the locked SELECT, UPDATE, INSERT entry_versions, INSERT audit_log, COMMIT); ` +
      'the audit row is sealed into the hash chain by the commit-time trigger for both alike',
    `CPU time per approval at 32 clients (user + system from /proc, less dependent on the machine's load than latency): ` +
      `api process ${med(cpuOf(api, 'api'), 2)} ms (of which in the kernel ${med(cpuOf(api, 'apiSystem'), 2)} ms) + PostgreSQL backends ${med(cpuOf(api, 'db'), 2)} ms; ` +
      `raw transaction: its pg client ${med(cpuOf(tx, 'self'), 2)} ms + PostgreSQL backends ${med(cpuOf(tx, 'db'), 2)} ms ` +
      `(the load generator's own HTTP client, ${med(cpuOf(api, 'self'), 2)} ms per approval, is not counted for the api)`,
    `p99: api ${med(p99.api)} ms, raw transaction ${med(p99.tx)} ms, bare UPDATE ${med(p(raw, 99))} ms`,
    `p50: api ${med(p(api, 50))} ms, raw transaction ${med(p(tx, 50))} ms, bare UPDATE ${med(p(raw, 50))} ms`,
    `throughput: api ${med(throughput.api)} approvals/s, raw transaction ${med(throughput.tx)}/s, bare UPDATE ${med(rate(raw))}/s`,
    `one client alone (${SERIAL} requests each), p50 / p99: api ${fmt(service.api, 2)} / ${fmt(percentile(serialApi.latencies, 99), 2)} ms; ` +
      `raw transaction ${fmt(service.tx, 2)} / ${fmt(percentile(serialTx.latencies, 99), 2)} ms; ` +
      `bare UPDATE ${fmt(percentile(serialRaw.latencies, 50), 2)} / ${fmt(percentile(serialRaw.latencies, 99), 2)} ms`,
    `errors (non-200 or not accepted): api ${errors}, raw transaction ${txErrors}, bare UPDATE ${rawErrors}; ` +
      `${written.accepted.toLocaleString()} entries accepted by the api and the raw transaction, ${written.versions.toLocaleString()} version rows, ${written.audits.toLocaleString()} audit rows; ` +
      `${WARM_UP} warm-up requests of each kind before the runs`,
    'the api, PostgreSQL and the 32 clients share the 2 cores; with 32 requests always in flight, latency is mostly queueing behind the others (p50 ≈ 32 ÷ throughput), so p99 follows throughput',
  ];
  const apiCpu = cpuOf(api, 'api').median + cpuOf(api, 'db').median + cpuOf(api, 'self').median;
  const txCpu = cpuOf(tx, 'self').median + cpuOf(tx, 'db').median;
  const missed = p99.api.median / p99.tx.median > 2 || throughput.api.median / throughput.tx.median < 0.5 || service.api >= 2;
  if (missed) {
    common.push(
      `why targets are missed: the 2 cores are the limit, and an approval through the api costs the machine ${fmt(apiCpu, 2)} ms of CPU ` +
        `(api process, PostgreSQL, the load generator's HTTP client) against ${fmt(txCpu, 2)} ms for the raw transaction, so at best ` +
        `${fmt(txCpu / apiCpu, 2)}× its throughput. The api's own CPU (user space almost all of it: the kernel's part is shown above) is spread over ` +
        "HTTP (express, helmet's headers, the body parser), Nest's guards and pipes (class-validator), JWT verification, TypeORM's transaction frame, " +
        "pg's protocol and JSON; a CPU profile (BENCH_CPU_PROF=dir npm run bench -- approve-api) shows no part above a tenth of it (the profile's large " +
        "'writev' share is time the process waited for the CPU after waking PostgreSQL, not CPU it used: the kernel time above is small). " +
        "PostgreSQL's extra over the raw transaction is the session and user check and the routing query (the audit log's writers and approvers of " +
        'the entry, the actor’s delegations), which the raw transaction does not do. ' +
        `Round trips: ${perRequest(counted.roundTrips)} against 6 (the routing is read once, by authorize; the next step is settled from it, ` +
        'and co_approvals is touched only on a route with a 合議 step ahead); reading the routing with the row lock (EntriesService.lock, ' +
        'CycleRoutesService) would make it one less. The one-client service time is ' +
        'the sum of those round trips and CPU on a machine where every process waits for a core (load average in the header)',
    );
  }
  const what =
    `POST /api/entries/:id/approve (JWT, session and user check, validation, row lock and version check, routing, UPDATE, version row, audit row, ` +
    `commit) from ${CLIENTS} keep-alive clients over loopback, ${PER_RUN.toLocaleString()} distinct submitted entries per run, ` +
    `the compiled api (dist, as production runs it) in its own process with DB_POOL_SIZE=${CLIENTS}`;
  const txWhat =
    `the statements an approval needs, issued directly with pg from ${CLIENTS} pooled connections, each approval one transaction: BEGIN, the entry locked FOR UPDATE ` +
    'with its cycle, section and item, UPDATE, the entry_versions row, the audit_log row (hash chain sealed at commit by the database), COMMIT; same entry count';
  return [
    {
      title: 'Approve API p99 latency, 32 clients',
      what: `p99 latency of ${what}`,
      unit: 'ms',
      measured: p99.api,
      baseline: p99.tx,
      baselineWhat: txWhat,
      ratio: p99.api.median / p99.tx.median,
      target: 'p99 within 2× of the raw transaction; 0 errors; every approval versioned and audited',
      met: p99.api.median / p99.tx.median <= 2 && clean,
      notes: common,
    },
    {
      title: 'Approve API throughput, 32 clients',
      what: `approvals per second of ${what}`,
      unit: 'approvals/s',
      measured: throughput.api,
      baseline: throughput.tx,
      baselineWhat: txWhat,
      ratio: throughput.api.median / throughput.tx.median,
      target: '≥ 50% of the raw transaction',
      met: throughput.api.median / throughput.tx.median >= 0.5 && clean,
      notes: ['see the notes of the p99 figure'],
    },
    {
      title: 'Approve API service time, one client',
      what: `p50 latency of ${SERIAL} approvals one after the other from one client (no queueing): ${what.replace(/ from 32 keep-alive clients over loopback.*?run,/, ',')}`,
      unit: 'ms',
      measured: serial(serialApi),
      baseline: serial(serialTx),
      baselineWhat: 'the raw transaction above from one connection, one after the other',
      ratio: service.api / service.tx,
      target: 'under 2 ms',
      met: service.api < 2 && clean,
      notes: [
        'one run of 200 requests (the p50 of the run is the figure)',
        ...(service.tx >= 2
          ? [
              `the target is below what the raw transaction alone takes on this machine (${fmt(service.tx, 1)} ms for the same lock, version row, audit row and update from pg, with no HTTP, no authentication and no rules): under 2 ms needs a machine whose PostgreSQL answers those statements faster; the api's own part is the difference, ${fmt(service.api - service.tx, 1)} ms`,
            ]
          : []),
        'see the notes of the p99 figure',
      ],
    },
  ];
}

/**
 * One approval as raw pg: the same rows an approval writes, in one transaction, each statement
 * one round trip, the checks (version, cycle open, state) in TypeScript. From the pool, or from
 * `client` when given (one connection, one approval after the other).
 */
export function rawApproval(pool: Pool, evaluatorId: number, client?: PoolClient) {
  return async (id: number, version: number): Promise<boolean> => {
    const c = client ?? (await pool.connect());
    try {
      await c.query('BEGIN');
      const {
        rows: [e],
      } = await c.query(LOCK_SQL, [id]);
      if (!e || e.version !== version || e.cycle_state !== 'open' || e.state !== 'submitted') {
        await c.query('ROLLBACK');
        return false;
      }
      const after = { ...e, state: 'accepted', current_step: 1, version: version + 1 };
      await c.query(
        `UPDATE entries SET state = $2, current_step = $3, version = $4, accepted_at = now(), updated_at = now() WHERE id = $1 RETURNING updated_at`,
        [id, after.state, after.current_step, after.version],
      );
      await c.query(`INSERT INTO entry_versions (entry_id, version, state, data, edited_by) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        after.version,
        after.state,
        JSON.stringify(snapshot(after)),
        evaluatorId,
      ]);
      const audited = (r: Record<string, unknown>) => JSON.stringify({ state: r.state, version: r.version, currentStep: r.current_step, ...snapshot(r) });
      await c.query(
        `INSERT INTO audit_log (actor_user_id, on_behalf_of_user_id, acting, action, subject_type, subject_id, before, after, comment)
         VALUES ($1, NULL, false, 'entry.approve', 'entry', $2, $3, $4, NULL)`,
        [evaluatorId, String(id), audited(e), audited(after)],
      );
      await c.query('COMMIT');
      return true;
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (!client) c.release();
    }
  };
}

/** Sends one request per entry with CLIENTS in flight; a thrown error counts as an error. */
async function drive(
  entries: { id: number; version: number }[],
  call: (id: number, version: number) => Promise<boolean>,
  clients = CLIENTS,
): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < entries.length; i = next++) {
        const t0 = process.hrtime.bigint();
        const ok = await call(entries[i].id, entries[i].version).catch(() => false);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (!ok) errors++;
      }
    }),
  );
  return { latencies, errors, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export function pgOptions(config: AppConfig, max: number) {
  return { host: config.DB_HOST, port: config.DB_PORT, user: config.DB_USER, password: config.DB_PASSWORD, database: config.DB_NAME, max };
}

async function setup(pool: Pool, runs: number, config: AppConfig) {
  const { evaluatorId, ids } = await submittedCity(pool, 3 * (WARM_UP + SERIAL + runs * PER_RUN) + COUNTED, config);
  const take = (n: number) => ids.splice(0, n);
  return {
    evaluatorId,
    warmApi: take(WARM_UP),
    warmTx: take(WARM_UP),
    warmRaw: take(WARM_UP),
    count: take(COUNTED),
    serialApi: take(SERIAL),
    serialTx: take(SERIAL),
    serialRaw: take(SERIAL),
    api: Array.from({ length: runs }, () => take(PER_RUN)),
    tx: Array.from({ length: runs }, () => take(PER_RUN)),
    raw: Array.from({ length: runs }, () => take(PER_RUN)),
  };
}

/**
 * `total` submitted entries on a one-step evaluator route in an opened cycle, all waiting for
 * the user `evaluator` (password `password`), the department head of their one section.
 */
export async function submittedCity(pool: Pool, total: number, config: AppConfig): Promise<{ evaluatorId: number; ids: number[] }> {
  const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
  const hash = await bcrypt.hash('password', 4);
  const [evaluator] = await q(
    `INSERT INTO users (login, name, email, roles, password_hash) VALUES ('evaluator', '評価者', 'evaluator@bench.example.jp', '{evaluator}', $1) RETURNING id`,
    [hash],
  );
  const [dept] = await q(`INSERT INTO departments (code, name, head_user_id) VALUES ('bench', 'ベンチ部', $1) RETURNING id`, [evaluator.id]);
  const [section] = await q(`INSERT INTO sections (department_id, code, name) VALUES ($1, 'bench', 'ベンチ課') RETURNING id`, [dept.id]);
  const [plan] = await q(`INSERT INTO plans (code, name, kind) VALUES ('bench', 'ベンチ計画', 'program') RETURNING id`);
  await q(`INSERT INTO plan_items (plan_id, number, title) SELECT $1, g, '事業' || g FROM generate_series(1, $2) g`, [plan.id, total]);
  await q(`INSERT INTO plan_item_sections (item_id, section_id) SELECT id, $2 FROM plan_items WHERE plan_id = $1`, [plan.id, section.id]);
  const [template] = await q(
    `INSERT INTO cycle_templates (code, name, plan_id, period_type, scale_code, fields, approval_route, reminder_schedule)
     VALUES ('bench', 'ベンチ', $1, 'half_year', 'progress4', '[]', '[{"kind":"evaluator","label":"評価者"}]', '{}') RETURNING id`,
    [plan.id],
  );
  const [cycle] = await q(
    // The rules an opened cycle keeps of its template (CyclesService.act(open) writes them).
    `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label, submission_deadline, review_deadline, state, opened_at, rules)
     VALUES ($1, '2024-H1', '2024-04-01', '2024-09-30', 2024, 'ベンチ', '2024-10-10', '2024-10-31', 'open', now(), $2) RETURNING id`,
    [
      template.id,
      JSON.stringify({ scaleCode: 'progress4', fields: [], approvalRoute: [{ kind: 'evaluator', label: '評価者' }], layout: 'list', templateVersion: 1 }),
    ],
  );
  const rows = await q(
    `INSERT INTO entries (cycle_id, item_id, section_id, state, rating, progress, submitted_at)
     SELECT $1, i.id, $2, 'submitted', '○', '計画どおり進めている。', now() FROM plan_items i WHERE i.plan_id = $3 ORDER BY i.number
     RETURNING id`,
    [cycle.id, section.id, plan.id],
  );
  await analyzeAsOwner(config);
  return { evaluatorId: evaluator.id as number, ids: rows.map((r) => r.id) };
}

export async function submitted(pool: Pool, ids: number[]): Promise<{ id: number; version: number }[]> {
  const { rows } = await pool.query(`SELECT id, version FROM entries WHERE id = ANY($1) AND state = 'submitted' ORDER BY id`, [ids]);
  if (rows.length !== ids.length) throw new Error(`expected ${ids.length} submitted entries, found ${rows.length}`);
  return rows;
}
