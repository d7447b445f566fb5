import { Writable } from 'node:stream';
import * as bcrypt from 'bcryptjs';
import { Pool } from 'pg';
import { analyzeAsOwner } from './owner';
import { BenchFigure } from './bench-result';
import { MiB, nextLine, sampleRss, spawnBenchChild, stopChild } from './child';
import type { Harness } from './harness';
import { HttpClient } from './http-client';
import { fmt, sample, timed } from './stats';

const ITEMS = 5000;
const SECTIONS = 10;
const ENTRIES = ITEMS * SECTIONS;
const LIMIT_MIB = 512;

/**
 * A 50,000-entry open cycle per run (60% accepted, 20% submitted, 10% draft, 10% not started,
 * with report text): force_close and the summary through the api, then GET export.xlsx streamed
 * by the api in its own process, whose RSS is sampled every 20 ms during the download.
 */
export async function exportXlsxBench(h: Harness): Promise<BenchFigure[]> {
  const config = await h.database({ DB_POOL_SIZE: '10', LOGIN_RATE_LIMIT: '1000' });
  const pool = new Pool({ host: config.DB_HOST, port: config.DB_PORT, user: config.DB_USER, password: config.DB_PASSWORD, database: config.DB_NAME, max: 2 });
  h.cleanup(() => pool.end());
  // The api's boot writes the built-in rating scales the template refers to.
  const api = await spawnBenchChild('bench/api-child.js', config, /api-ready (\d+)/);
  h.cleanup(() => stopChild(api.child));
  const cycleIds = await setup(pool, h.runs);
  // As the owner: the application's role may not ANALYZE the tables (it skips them with a
  // warning), and without statistics of the 50,000 new rows the planner joined them by a nested loop.
  await analyzeAsOwner(config, 'VACUUM ANALYZE');
  const base = await spawnBenchChild('bench/xlsx-baseline-child.js', config, /baseline-ready/);
  h.cleanup(() => stopChild(base.child));
  const client = new HttpClient(Number(api.match[1]), 2);
  h.cleanup(() => client.close());
  const token = await client.login('planning', 'password');

  const closeMs: number[] = [];
  const summaryMs: number[] = [];
  const exportMs: number[] = [];
  const deltas: number[] = [];
  const peaks: number[] = [];
  const baseMs: number[] = [];
  const baseDeltas: number[] = [];
  const basePeaks: number[] = [];
  const problems: string[] = [];
  let bytes = 0;
  let exact = true;
  let firstBefore = 0;
  for (const cycleId of cycleIds) {
    closeMs.push(
      await timed(async () => {
        const res = await client.json('POST', `/api/cycles/${cycleId}/actions`, { action: 'force_close', reason: 'ベンチ計測' }, token);
        if (res.status !== 200 || res.body.markedNotSubmitted !== ENTRIES / 5)
          problems.push(`force_close: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }),
    );
    summaryMs.push(
      await timed(async () => {
        const res = await client.json('GET', `/api/cycles/${cycleId}/summary`, undefined, token);
        if (res.status !== 200 || res.body.total !== (ENTRIES * 6) / 10) problems.push(`summary: ${res.status} total ${res.body?.total}`);
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const rss = sampleRss(api.child.pid!);
    exportMs.push(
      await timed(async () => {
        const res = await client.download(`/api/cycles/${cycleId}/export.xlsx`, token, discard());
        bytes = res.bytes;
        if (res.status !== 200) problems.push(`export: ${res.status}`);
      }),
    );
    const { before, peak, exact: e } = rss.stop();
    exact &&= e;
    deltas.push((peak - before) / MiB);
    firstBefore ||= before / MiB;
    peaks.push(peak / MiB);

    const baseRss = sampleRss(base.child.pid!);
    baseMs.push(
      await timed(async () => {
        base.child.stdin!.write(`go ${cycleId}\n`);
        const [, rows] = await nextLine(base.child, /done (\d+)/);
        if (Number(rows) !== ENTRIES) problems.push(`baseline wrote ${rows} rows`);
      }),
    );
    const b = baseRss.stop();
    baseDeltas.push((b.peak - b.before) / MiB);
    basePeaks.push(b.peak / MiB);
  }

  const m = sample(peaks);
  const b = sample(basePeaks);
  const peak = Math.max(...peaks);
  const med = (runs: number[], unit: string) => {
    const s = sample(runs);
    return `${fmt(s.median)} ${unit} (${fmt(s.min)}–${fmt(s.max)})`;
  };
  const t = sample(exportMs);
  const tb = sample(baseMs);
  const rss: BenchFigure = {
    title: 'XLSX export of a closed 50,000-entry cycle: peak RSS',
    what:
      `peak RSS of the whole compiled api process (dist, as production runs it; sampled every 20 ms` +
      `${exact ? ', and the kernel high-water mark' : ''}) while GET /api/cycles/:id/export.xlsx streams 一覧 (${ENTRIES.toLocaleString()} rows), 集計 and 提出状況 to a loopback client`,
    unit: 'MiB',
    measured: m,
    baseline: b,
    baselineWhat:
      "the peak RSS of a separate plain Node process (pg and exceljs only) writing the same rows with exceljs' streaming writer straight from a pg cursor to /dev/null",
    ratio: m.median / b.median,
    target: `export under ${LIMIT_MIB} MiB peak RSS (whole api process)`,
    met: peak < LIMIT_MIB && problems.length === 0,
    notes: [
      `growth during the export (peak minus the RSS just before the request): api ${deltas.map((d) => fmt(d)).join(', ')} MiB, ` +
        `baseline ${baseDeltas.map((d) => fmt(d)).join(', ')} MiB; one process serves every run, so later runs reuse the heap the first one grew`,
      `api process RSS before the first export (a booted api, idle): ${fmt(firstBefore)} MiB`,
      `export time: api ${med(exportMs, 'ms')}, baseline ${med(baseMs, 'ms')}; workbook ${fmt(bytes / MiB)} MiB`,
      `force_close through POST /api/cycles/:id/actions (${(ENTRIES / 5).toLocaleString()} entries marked 未提出 with their audit rows): ${med(closeMs, 'ms')}`,
      `summary through GET /api/cycles/:id/summary: ${med(summaryMs, 'ms')}`,
      ...(problems.length
        ? problems
        : ['every run: force_close marked 10,000, summary counted 30,000 accepted, export answered 200, baseline wrote 50,000 rows']),
    ],
  };
  const time: BenchFigure = {
    title: 'XLSX export of a closed 50,000-entry cycle: time',
    what: `time of the same GET /api/cycles/:id/export.xlsx, from the request until the last byte reached the client`,
    unit: 'ms',
    measured: t,
    baseline: tb,
    baselineWhat: "the same baseline process's time: the same 50,000 rows from a pg cursor through exceljs' streaming writer to /dev/null",
    ratio: t.median / tb.median,
    target: 'within 1.5× of the streaming baseline',
    met: t.median <= 1.5 * tb.median && problems.length === 0,
    notes: ['see the notes of the peak RSS figure; the api also writes the 集計 and 提出状況 sheets, which the baseline does not'],
  };
  return [rss, time];
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, cb) => cb() });
}

/** 一覧: 番号, 項目, 章, 所管課, 評価, these three, 評価者, 承認者, 状態, 提出日, 承認日 (13 columns, as the baseline writes). */
const BENCH_FORM = [
  { key: 'progress', label: '進捗状況', type: 'long_text', scope: 'entry', required: true },
  { key: 'reason', label: '理由', type: 'long_text', scope: 'entry' },
  { key: 'nextSteps', label: '今後の取組', type: 'long_text', scope: 'entry' },
];

const PROGRESS =
  '子育て世帯への支援策として、対象年齢の拡大に向けた制度設計を行い、関係機関との協議を進めた。' +
  '今年度は所得制限の撤廃に係る条例改正案を議会に提出し、可決された。システム改修も予定どおり完了している。';
const NEXT = '次年度は制度の周知を強化し、申請手続きのオンライン化を進める。';

async function setup(pool: Pool, runs: number): Promise<number[]> {
  const q = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
  const hash = await bcrypt.hash('password', 4);
  const [dept] = await q(`INSERT INTO departments (code, name) VALUES ('bench', 'ベンチ部') RETURNING id`);
  await q(`INSERT INTO users (login, name, email, roles, password_hash) VALUES ('planning', '企画', 'planning@bench.example.jp', '{planning}', $1)`, [hash]);
  await q(`INSERT INTO sections (department_id, code, name) SELECT $1, 'bench-' || g, 'ベンチ課' || g FROM generate_series(1, $2) g`, [dept.id, SECTIONS]);
  const [plan] = await q(`INSERT INTO plans (code, name, kind) VALUES ('bench', 'ベンチ計画', 'program') RETURNING id`);
  await q(
    `INSERT INTO plan_items (plan_id, number, chapter, title)
     SELECT $1, g, '第' || (g % 7 + 1) || '章 まちづくり', '事業' || g || ' 子育て支援の充実と医療費助成の拡大' FROM generate_series(1, $2) g`,
    [plan.id, ITEMS],
  );
  await q(`INSERT INTO plan_item_sections (item_id, section_id) SELECT i.id, s.id FROM plan_items i CROSS JOIN sections s WHERE i.plan_id = $1`, [plan.id]);
  const [template] = await q(
    // The export's columns come from the form: the three texts the entries carry.
    `INSERT INTO cycle_templates (code, name, plan_id, period_type, scale_code, fields, approval_route, reminder_schedule)
     VALUES ('bench', 'ベンチ', $1, 'half_year', 'progress4', $2, '[{"kind":"evaluator","label":"評価者"}]', '{}') RETURNING id`,
    [plan.id, JSON.stringify(BENCH_FORM)],
  );
  const ids: number[] = [];
  for (let run = 0; run < runs; run++) {
    const year = 2024 - run;
    const [cycle] = await q(
      `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label, submission_deadline, review_deadline, state, opened_at, rules)
       VALUES ($1, $2 || '-H1', ($2 || '-04-01')::date, ($2 || '-09-30')::date, $2::int, 'ベンチ ' || $2, ($2 || '-10-10')::date, ($2 || '-10-31')::date, 'open', now(), (SELECT jsonb_build_object('scaleCode', t.scale_code, 'fields', t.fields, 'approvalRoute', t.approval_route) FROM cycle_templates t WHERE t.id = $1))
       RETURNING id`,
      [template.id, String(year)],
    );
    // n % 10: 0–5 accepted, 6–7 submitted, 8 draft, 9 not started.
    await q(
      `INSERT INTO entries (cycle_id, item_id, section_id, state, rating, progress, reason, next_steps, submitted_at, accepted_at, current_step)
       SELECT $1, pis.item_id, pis.section_id, st.state,
              CASE WHEN st.state = 'not_started' THEN NULL ELSE (ARRAY['☆','○','△','×'])[n % 4 + 1] END,
              CASE WHEN st.state = 'not_started' THEN NULL ELSE $3 END,
              CASE WHEN n % 4 >= 2 THEN '資材価格の高騰により工期が延びたため。' END,
              CASE WHEN st.state = 'not_started' THEN NULL ELSE $4 END,
              CASE WHEN st.state IN ('accepted','submitted') THEN now() END,
              CASE WHEN st.state = 'accepted' THEN now() END,
              CASE WHEN st.state = 'accepted' THEN 1 ELSE 0 END
         FROM (SELECT pis.*, row_number() OVER (ORDER BY pis.item_id, pis.section_id) AS n
                 FROM plan_item_sections pis JOIN plan_items i ON i.id = pis.item_id WHERE i.plan_id = $2) pis,
              LATERAL (SELECT CASE WHEN n % 10 < 6 THEN 'accepted' WHEN n % 10 < 8 THEN 'submitted'
                                   WHEN n % 10 = 8 THEN 'draft' ELSE 'not_started' END AS state) st`,
      [cycle.id, plan.id, PROGRESS, NEXT],
    );
    ids.push(cycle.id);
  }
  return ids;
}
