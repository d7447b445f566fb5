import * as bcrypt from 'bcryptjs';
import { Pool } from 'pg';
import { adminClient } from '../test/utils/test-database';
import { pgOptions } from './approve-api.bench';
import { BenchFigure } from './bench-result';
import { spawnBenchChild, stopChild } from './child';
import type { Harness } from './harness';
import { HttpClient } from './http-client';
import { fmt, percentile, sample, timed } from './stats';

// BENCH_SCALE_CYCLES: fewer cycles while developing (the committed figures use 120).
const CYCLES = Number(process.env.BENCH_SCALE_CYCLES ?? 120);
const ITEMS = 500;
const SECTIONS_PER_ITEM = 3;
const SECTIONS = 30;
const REQUESTS = 30;
const WARM_UP = 5;

/** The entries queries of the matrix and the summary, and a read of one item's entries, as their plans are checked. */
const MATRIX_CELLS = `SELECT e.item_id, e.section_id, e.cycle_id, e.rating, e.state
  FROM entries e JOIN sections s ON s.id = e.section_id JOIN plan_items i ON i.id = e.item_id
 WHERE e.cycle_id = ANY($1) AND ($2::bool OR e.section_id = $3 OR s.department_id = $4 OR i.evaluator_user_id = $5)`;
const SUMMARY = `SELECT e.rating, i.chapter, d.id AS department_id, d.name AS department_name, count(*)::int AS count
  FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id JOIN departments d ON d.id = s.department_id
 WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted') AND ($3::bool OR e.section_id = $4 OR d.id = $5 OR i.evaluator_user_id = $6)
 GROUP BY e.rating, i.chapter, d.id, d.name ORDER BY min(i.number), d.id`;
const ONE_ITEM = `SELECT e.cycle_id, e.section_id, e.rating, e.state FROM entries e WHERE e.item_id = $1`;
/** What the public item page reads (PublishedReportsService.itemVersions): the item's rows of the latest publication of each cycle. */
const ITEM_ROWS = `SELECT l.cycle_id, l.version, l.published_at, l.head || jsonb_build_object('entries', COALESCE(r.rows, '[]'::jsonb)) AS snapshot
  FROM (SELECT DISTINCT ON (cycle_id) report_id, cycle_id, version, published_at, head FROM published_heads WHERE plan_id = $1 ORDER BY cycle_id, version DESC) l
  LEFT JOIN published_item_rows r ON r.report_id = l.report_id AND r.item_id = $2`;
/** What it read before: every latest snapshot of the plan, whole. */
const WHOLE_SNAPSHOTS = `SELECT DISTINCT ON (cycle_id) cycle_id, version, published_at, snapshot FROM published_reports
 WHERE snapshot IS NOT NULL AND (snapshot->'plan'->>'id')::int = $1 ORDER BY cycle_id, version DESC`;

/**
 * Reading at scale: a plan of 500 items × 3 sections with 10 years of monthly cycles (120 cycles,
 * 180,000 entries). GET the items × periods matrix of one fiscal year and a cycle's summary as
 * planning, against their entries queries alone; the plans of the entries queries checked for a
 * sequential scan of entries.
 */
export async function readScaleBench(h: Harness): Promise<BenchFigure[]> {
  const config = await h.database({ LOGIN_RATE_LIMIT: '1000' });
  const pool = new Pool(pgOptions(config, 2));
  pool.on('error', () => undefined);
  h.cleanup(() => pool.end());
  const { child, match } = await spawnBenchChild('bench/api-child.js', config, /api-ready (\d+)/);
  h.cleanup(() => stopChild(child));
  const t0 = Date.now();
  const city = await setup(pool);
  // Statistics as autovacuum would leave them (the application's login may not VACUUM).
  const admin = await adminClient(config, config.DB_NAME);
  await admin.query('VACUUM ANALYZE');
  await admin.end();
  const generation = (Date.now() - t0) / 1000;
  const client = new HttpClient(Number(match[1]), 1);
  h.cleanup(() => client.close());
  const token = await client.login('planner', 'password');

  let wrong = 0;
  const matrix = async () => {
    const res = await client.json('GET', `/api/templates/${city.templateId}/matrix?fiscalYear=2024`, undefined, token);
    if (res.status !== 200 || res.body.columns?.length !== 12 || res.body.rows?.length !== ITEMS * SECTIONS_PER_ITEM) wrong++;
  };
  const summary = async () => {
    const res = await client.json('GET', `/api/cycles/${city.cycleId}/summary`, undefined, token);
    if (res.status !== 200) wrong++;
  };
  const all = [true, -1, -1, -1];
  const rawMatrix = () => pool.query(MATRIX_CELLS, [city.yearCycleIds, ...all]);
  const rawSummary = () => pool.query(SUMMARY, [city.cycleId, true, ...all]);
  let pageBytes = 0;
  const itemPage = async () => {
    const res = await client.json('GET', `/public/items/${city.itemId}`);
    pageBytes = Buffer.byteLength(String(res.body));
    if (res.status !== 200 || !String(res.body).includes(city.itemText)) wrong++;
  };
  const rawItem = () => pool.query(ITEM_ROWS, [city.planId, city.itemId]);
  for (let i = 0; i < WARM_UP; i++) for (const fn of [matrix, summary, itemPage, rawMatrix, rawSummary, rawItem]) await fn();
  const p99 = async (fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push(await timed(fn));
    return { p99: percentile(times, 99), p50: percentile(times, 50) };
  };
  const runs = {
    matrix: [] as number[],
    summary: [] as number[],
    item: [] as number[],
    rawMatrix: [] as number[],
    rawSummary: [] as number[],
    rawItem: [] as number[],
    p50: [] as string[],
  };
  for (let run = 0; run < h.runs; run++) {
    const m = await p99(matrix);
    const s = await p99(summary);
    const it = await p99(itemPage);
    runs.matrix.push(m.p99);
    runs.summary.push(s.p99);
    runs.item.push(it.p99);
    runs.rawMatrix.push((await p99(rawMatrix)).p99);
    runs.rawSummary.push((await p99(rawSummary)).p99);
    runs.rawItem.push((await p99(rawItem)).p99);
    runs.p50.push(`${fmt(m.p50)} / ${fmt(s.p50)} / ${fmt(it.p50)}`);
  }
  const plans: { label: string; seq: boolean; ms: number }[] = [];
  for (const [label, sql, params] of [
    ['matrix cells of one fiscal year', MATRIX_CELLS, [city.yearCycleIds, ...all]],
    ['matrix cells for a section reader', MATRIX_CELLS, [city.yearCycleIds, false, city.sectionId, -1, -1]],
    ['summary of one cycle', SUMMARY, [city.cycleId, true, ...all]],
    ['one item’s entries over every cycle', ONE_ITEM, [city.itemId]],
    ['the public item page’s rows', ITEM_ROWS, [city.planId, city.itemId]],
  ] as [string, string, unknown[]][]) {
    const [{ 'QUERY PLAN': plan }] = (await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows;
    plans.push({ label, seq: scansEntries(plan[0].Plan), ms: plan[0]['Execution Time'] });
  }
  // The read the item page did before (every latest snapshot of the plan, whole, parsed by pg as the api did), for comparison.
  const wholeMs: number[] = [];
  let wholeEntries = 0;
  for (let i = 0; i < 3; i++)
    wholeMs.push(
      await timed(async () => {
        const { rows } = await pool.query(WHOLE_SNAPSHOTS, [city.planId]);
        wholeEntries = rows.reduce((n, r) => n + r.snapshot.entries.length, 0);
      }),
    );
  const [{ bytes: snapshotBytes }] = (await pool.query(`SELECT sum(pg_column_size(snapshot))::bigint AS bytes FROM published_reports`)).rows;
  const seqScans = plans.filter((p) => p.seq).length;
  const notes = [
    `${CYCLES} monthly cycles × ${ITEMS} items × ${SECTIONS_PER_ITEM} sections = ${(CYCLES * ITEMS * SECTIONS_PER_ITEM).toLocaleString()} entries, generated in ${fmt(generation)} s (SQL, then VACUUM ANALYZE)${CYCLES < 120 ? '; scaled down from 120 cycles' : ''}`,
    `${REQUESTS} requests per run from one keep-alive client, the compiled api in its own process, as a planning user (reads every section); p50 matrix / summary per run: ${runs.p50.join('; ')} ms`,
    `query plans (EXPLAIN ANALYZE): ${plans.map((p) => `${p.label} ${p.seq ? '**sequential scan of entries**' : 'index scan'} (${fmt(p.ms, 2)} ms)`).join('; ')}; ` +
      'one item’s entries use entries_item_idx (migration 1732000010700; a scan of all 180,000 entries, 12 ms, before it)',
    `wrong answers (not 200, or the matrix not 12 columns × ${(ITEMS * SECTIONS_PER_ITEM).toLocaleString()} rows): ${wrong}`,
    `the public item page: GET /public/items/:id of an item in 3 sections, published in all ${CYCLES} cycles (a snapshot of all ${(ITEMS * SECTIONS_PER_ITEM).toLocaleString()} entries each, ` +
      `${fmt(Number(snapshotBytes) / 2 ** 20)} MiB stored, generated by SQL in the snapshot's shape with a text of 220 characters per entry): the page reads the item's rows of each latest publication ` +
      `(published_item_rows, migration 1732000011500) and shows the rating history and KPIs whole, the texts ${12} periods a page (?page=2 for older ones); the page is ${fmt(pageBytes / 1024)} KiB`,
    `what the item page read before this change, every latest snapshot of the plan whole (${wholeEntries.toLocaleString()} entries), took ${fmt(sample(wholeMs).median)} ms ` +
      `(${fmt(sample(wholeMs).min)}–${fmt(sample(wholeMs).max)}) for the query and its JSON alone, before any rendering`,
  ];
  const met = (m: ReturnType<typeof sample>) => m.median < 300 && wrong === 0 && seqScans === 0;
  const matrixSample = sample(runs.matrix);
  const summarySample = sample(runs.summary);
  const rawM = sample(runs.rawMatrix);
  const rawS = sample(runs.rawSummary);
  const itemSample = sample(runs.item);
  const rawI = sample(runs.rawItem);
  return [
    {
      title: 'Reading at scale: the matrix of one fiscal year',
      what: `p99 latency of GET /api/templates/:id/matrix?fiscalYear=2024 (12 monthly cycles × ${(ITEMS * SECTIONS_PER_ITEM).toLocaleString()} item rows) on a plan with ${CYCLES} cycles`,
      unit: 'ms',
      measured: matrixSample,
      baseline: rawM,
      baselineWhat: 'the matrix’s entries query alone from a pg connection',
      ratio: matrixSample.median / rawM.median,
      target: 'under 300 ms p99; no sequential scan of entries',
      met: met(matrixSample),
      notes,
    },
    {
      title: 'Reading at scale: a cycle’s summary',
      what: `p99 latency of GET /api/cycles/:id/summary on the same plan`,
      unit: 'ms',
      measured: summarySample,
      baseline: rawS,
      baselineWhat: 'the summary’s counting query alone from a pg connection',
      ratio: summarySample.median / rawS.median,
      target: 'under 300 ms p99; no sequential scan of entries',
      met: met(summarySample),
      notes: ['see the notes of the matrix figure'],
    },
    {
      title: 'Reading at scale: the public item page',
      what: `p99 latency of GET /public/items/:id (no sign-in) of an item published in all ${CYCLES} cycles of the same plan`,
      unit: 'ms',
      measured: itemSample,
      baseline: rawI,
      baselineWhat: 'the page’s query alone (the item’s rows of the latest publication of each cycle) from a pg connection',
      ratio: itemSample.median / rawI.median,
      target: 'under 300 ms p99; the page reads the item’s rows only',
      met: met(itemSample),
      notes: ['see the notes of the matrix figure'],
    },
  ];
}

/** Whether a plan (EXPLAIN's JSON) reads the entries table (or the published items' rows) by a sequential scan anywhere. */
function scansEntries(node: { 'Node Type': string; 'Relation Name'?: string; Plans?: unknown[] }): boolean {
  if (node['Node Type'] === 'Seq Scan' && ['entries', 'published_item_rows'].includes(node['Relation Name'] ?? '')) return true;
  return (node.Plans ?? []).some((child) => scansEntries(child as typeof node));
}

async function setup(pool: Pool) {
  const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
  const hash = await bcrypt.hash('password', 4);
  await q(`INSERT INTO users (login, name, email, roles, password_hash) VALUES ('planner', '企画', 'planner@bench.example.jp', '{planning}', $1)`, [hash]);
  const [dept] = await q(`INSERT INTO departments (code, name) VALUES ('d', 'ベンチ部') RETURNING id`);
  const sections = await q(
    `INSERT INTO sections (department_id, code, name) SELECT $1, 's' || g, 'ベンチ' || g || '課' FROM generate_series(1, $2) g ORDER BY g RETURNING id`,
    [dept.id, SECTIONS],
  );
  const [plan] = await q(`INSERT INTO plans (code, name, kind) VALUES ('p', 'ベンチ計画', 'program') RETURNING id`);
  await q(`INSERT INTO plan_items (plan_id, number, title) SELECT $1, g, '事業' || g FROM generate_series(1, $2) g`, [plan.id, ITEMS]);
  // Each item in three neighbouring sections.
  await q(
    `INSERT INTO plan_item_sections (item_id, section_id)
     SELECT i.id, u.id FROM plan_items i
       CROSS JOIN LATERAL (SELECT id FROM unnest($1::int[]) WITH ORDINALITY AS u(id, n) WHERE n > i.number % ($2::int - $3::int) AND n <= i.number % ($2::int - $3::int) + $3::int) u`,
    [sections.map((s) => s.id), SECTIONS, SECTIONS_PER_ITEM],
  );
  const [template] = await q(
    `INSERT INTO cycle_templates (code, name, plan_id, period_type, scale_code, fields, approval_route, reminder_schedule)
     VALUES ('m', 'ベンチ月次', $1, 'monthly', 'progress4', '[]', '[{"kind":"evaluator","label":"評価者"}]', '{}') RETURNING id`,
    [plan.id],
  );
  const rules = { scaleCode: 'progress4', fields: [], approvalRoute: [{ kind: 'evaluator', label: '評価者' }], layout: 'list', templateVersion: 1 };
  // Monthly cycles ending with 2026-03 (fiscal year 2025), the latest CYCLES of them.
  await q(
    `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label, submission_deadline, review_deadline, state, opened_at, rules)
     SELECT $1, to_char(m, 'YYYY-MM'), m::date, (m + interval '1 month' - interval '1 day')::date, extract(year FROM m - interval '3 months')::int,
            to_char(m, 'YYYY"年"FMMM"月"'), (m + interval '40 days')::date, (m + interval '50 days')::date, 'closed', m, $3
       FROM generate_series('2026-03-01'::timestamp - make_interval(months => $2 - 1), '2026-03-01', interval '1 month') m`,
    [template.id, CYCLES, JSON.stringify(rules)],
  );
  await q(
    `INSERT INTO entries (cycle_id, item_id, section_id, state, rating, accepted_at)
     SELECT c.id, p.item_id, p.section_id, 'accepted', (ARRAY['☆','○','△','×'])[1 + (p.item_id + c.id) % 4], now()
       FROM cycles c CROSS JOIN plan_item_sections p WHERE c.template_id = $1`,
    [template.id],
  );
  const yearCycleIds = (await q(`SELECT id FROM cycles WHERE template_id = $1 AND fiscal_year = 2024 ORDER BY period_start`, [template.id])).map((c) => c.id);
  const [item] = await q(`SELECT id FROM plan_items WHERE plan_id = $1 AND number = $2`, [plan.id, Math.ceil(ITEMS / 2)]);
  await publishAll(pool, plan.id, template.id);
  return {
    templateId: template.id,
    planId: plan.id,
    cycleId: yearCycleIds[0],
    yearCycleIds,
    itemId: item.id,
    itemText: `事業${Math.ceil(ITEMS / 2)}の取組`,
    sectionId: sections[3].id,
  };
}

/**
 * Every cycle published once: a snapshot in the shape PublishedReportsService.snapshot writes
 * (all entries, each with a published text), and its head and per-item rows as its freeze()
 * and migration 1732000011500 write them.
 */
async function publishAll(pool: Pool, planId: number, templateId: number): Promise<void> {
  const options = [
    { value: '☆', symbol: '☆', label: '順調', ordinal: 3 },
    { value: '○', symbol: '○', label: '概ね順調', ordinal: 2 },
    { value: '△', symbol: '△', label: 'やや遅れ', ordinal: 1 },
    { value: '×', symbol: '×', label: '遅れ', ordinal: 0 },
  ];
  await pool.query(
    `INSERT INTO published_reports (cycle_id, version, published_at, html, csv, summary, snapshot)
     SELECT c.id, 1, c.period_end + 45, '', '', '{}', jsonb_build_object(
              'format', 1, 'plan', jsonb_build_object('id', p.id, 'name', p.name),
              'template', jsonb_build_object('id', $2::int, 'name', 'ベンチ月次', 'periodType', 'monthly'),
              'cycle', jsonb_build_object('id', c.id, 'label', c.label, 'periodKey', c.period_key, 'periodLabel', c.label,
                       'shortLabel', to_char(c.period_start, 'FMMM') || '月', 'periodStart', c.period_start::text, 'periodEnd', c.period_end::text,
                       'fiscalYear', c.fiscal_year, 'fiscalYearLabel', c.fiscal_year || '年度'),
              'scale', jsonb_build_object('code', 'progress4', 'name', '進捗', 'options', $3::jsonb),
              'fieldLabels', '["取組状況"]'::jsonb,
              'entries', (SELECT jsonb_agg(jsonb_build_object(
                   'itemId', e.item_id, 'sectionId', e.section_id, 'number', i.number::text, 'numberValue', i.number, 'subNumber', '',
                   'chapter', NULL, 'category', NULL, 'title', i.title, 'content', '事業の内容', 'targetDateText', NULL, 'sectionName', s.name,
                   'reported', true, 'rating', e.rating,
                   'fields', jsonb_build_array(jsonb_build_object('label', '取組状況', 'text', i.title || 'の取組' || repeat('。計画どおり進めている', 20))),
                   'kpis', '[]'::jsonb) ORDER BY i.number, e.section_id)
                 FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id WHERE e.cycle_id = c.id))
       FROM cycles c JOIN plans p ON p.id = $1 WHERE c.template_id = $2`,
    [planId, templateId, JSON.stringify(options)],
  );
  await pool.query(
    `INSERT INTO published_heads (report_id, plan_id, cycle_id, version, published_at, head, entries_total, entries_reported)
       SELECT id, (snapshot->'plan'->>'id')::int, cycle_id, version, published_at, snapshot - 'entries',
              jsonb_array_length(snapshot->'entries'),
              (SELECT count(*) FROM jsonb_array_elements(snapshot->'entries') e WHERE e->>'reported' = 'true')
         FROM published_reports;
     INSERT INTO published_item_rows (item_id, report_id, rows)
       SELECT (e->>'itemId')::int, r.id, jsonb_agg(e ORDER BY ord)
         FROM published_reports r, jsonb_array_elements(r.snapshot->'entries') WITH ORDINALITY AS x(e, ord)
        GROUP BY r.id, (e->>'itemId')::int`,
  );
}
