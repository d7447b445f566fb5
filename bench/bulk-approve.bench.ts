import { Pool } from 'pg';
import { pgOptions, rawApproval, submitted, submittedCity } from './approve-api.bench';
import { BenchFigure } from './bench-result';
import { spawnBenchChild, stopChild } from './child';
import type { Harness } from './harness';
import { HttpClient } from './http-client';
import { fmt, sample, timed } from './stats';

const BULK = 1000;
const WARM_UP = 100;

/**
 * POST /api/approvals/bulk-approve with 1,000 submitted entries in one request (each approved in
 * its own transaction, checked and audited on its own), against the same 1,000 raw approval
 * transactions (bench/approve-api.bench.ts) one after the other from one pg connection.
 */
export async function bulkApproveBench(h: Harness): Promise<BenchFigure> {
  const config = await h.database({ LOGIN_RATE_LIMIT: '1000' });
  const pool = new Pool(pgOptions(config, 2));
  pool.on('error', () => undefined);
  h.cleanup(() => pool.end());
  const { child, match } = await spawnBenchChild('bench/api-child.js', config, /api-ready (\d+)/);
  h.cleanup(() => stopChild(child));
  const { evaluatorId, ids } = await submittedCity(pool, 2 * (WARM_UP + h.runs * BULK), config);
  const take = (n: number) => ids.splice(0, n);
  const client = new HttpClient(Number(match[1]), 1);
  h.cleanup(() => client.close());
  const token = await client.login('evaluator', 'password');
  const connection = await pool.connect();
  h.cleanup(() => connection.release());
  const raw = rawApproval(pool, evaluatorId, connection);

  let refused = 0;
  type Item = { id: number; version: number };
  const bulk = async (items: Item[]) => {
    const res = await client.json('POST', '/api/approvals/bulk-approve', { items }, token);
    if (res.status !== 200 || !Array.isArray(res.body)) throw new Error(`bulk approve: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    refused += res.body.filter((r: { ok: boolean }) => !r.ok).length;
  };
  const sequential = async (items: Item[]) => {
    for (const { id, version } of items) if (!(await raw(id, version))) refused++;
  };

  await bulk(await submitted(pool, take(WARM_UP)));
  await sequential(await submitted(pool, take(WARM_UP)));
  const api: number[] = [];
  const base: number[] = [];
  const apiIds: number[] = [];
  for (let run = 0; run < h.runs; run++) {
    const mine = take(BULK);
    apiIds.push(...mine);
    const items = await submitted(pool, mine);
    api.push(await timed(() => bulk(items)));
    const rawItems = await submitted(pool, take(BULK));
    base.push(await timed(() => sequential(rawItems)));
  }
  // Each entry of the api's bulks accepted with its own version row and its own audit row.
  const [check] = (
    await pool.query(
      `SELECT (SELECT count(*)::int FROM entries WHERE id = ANY($1) AND state = 'accepted') AS accepted,
              (SELECT count(DISTINCT entry_id)::int FROM entry_versions WHERE entry_id = ANY($1) AND state = 'accepted') AS versioned,
              (SELECT count(DISTINCT subject_id)::int FROM audit_log WHERE action = 'entry.approve' AND subject_id = ANY($2)) AS audited`,
      [apiIds, apiIds.map(String)],
    )
  ).rows;
  const m = sample(api);
  const b = sample(base);
  const ratio = m.median / b.median;
  const ok = refused === 0 && check.accepted === apiIds.length && check.versioned === apiIds.length && check.audited === apiIds.length;
  return {
    title: 'Bulk approve of 1,000 entries in one request',
    what:
      `time of one POST /api/approvals/bulk-approve with ${BULK.toLocaleString()} submitted entries (each in its own transaction: lock and version check, routing, ` +
      'update, version row, audit row; a refusal never undoes the others), the compiled api in its own process; the time to read the ids and versions is outside the figure',
    unit: 'ms',
    measured: m,
    baseline: b,
    baselineWhat: `the same ${BULK.toLocaleString()} raw approval transactions (BEGIN, locked SELECT, UPDATE, version row, audit row, COMMIT) one after the other from one pg connection`,
    ratio,
    target: 'within 2× of raw; each entry checked and audited on its own',
    met: ratio <= 2 && ok,
    notes: [
      `per entry: api ${fmt(m.median / BULK, 2)} ms, raw ${fmt(b.median / BULK, 2)} ms`,
      `refused (not ok in the answer, or a raw transaction that found the entry changed): ${refused}; the api's ${apiIds.length.toLocaleString()} entries: ` +
        `${check.accepted.toLocaleString()} accepted, ${check.versioned.toLocaleString()} with their version row, ${check.audited.toLocaleString()} with their audit row`,
      `a warm-up bulk of ${WARM_UP} and ${WARM_UP} raw approvals before the runs; the DTO takes up to 1,000 items`,
    ],
  };
}
