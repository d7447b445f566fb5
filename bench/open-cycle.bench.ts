import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { from as copyFrom } from 'pg-copy-streams';
import { Pool } from 'pg';
import { CyclesService } from '@app/cycles';
import type { AppConfig } from '@app/config';
import { BenchFigure } from './bench-result';
import { sample, timed } from './stats';
import { analyzeAsOwner } from './owner';

const ITEMS = 5000;
const SECTIONS = 10;

/** 5,000 items × 10 sections: opening creates 50,000 entries; the baseline COPYs the same rows. */
export async function openCycleBench(app: INestApplicationContext, config: AppConfig, runs: number): Promise<BenchFigure> {
  const db = app.get(DataSource);
  const cycles = app.get(CyclesService);
  const { planId, templateId } = await setup(db);
  const [cycle] = await db.query(
    `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label, submission_deadline, review_deadline)
     VALUES ($1, '2024-H1', '2024-04-01', '2024-09-30', 2024, 'bench', '2024-10-10', '2024-10-31') RETURNING id`,
    [templateId],
  );
  const [baselineCycle] = await db.query(
    `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label, submission_deadline, review_deadline)
     VALUES ($1, 'baseline', '2023-04-01', '2023-09-30', 2023, 'baseline', '2023-10-10', '2023-10-31') RETURNING id`,
    [templateId],
  );
  const rows: string =
    (
      await db.query(
        `SELECT string_agg(concat_ws(E'\\t', $1::int, pis.item_id, pis.section_id, 'not_started'), E'\\n') AS tsv
         FROM plan_item_sections pis JOIN plan_items i ON i.id = pis.item_id WHERE i.plan_id = $2`,
        [baselineCycle.id, planId],
      )
    )[0].tsv + '\n';

  const measured: number[] = [];
  const baseline: number[] = [];
  let created = 0;
  let reopenCreated = -1;
  const pool = new Pool({ host: config.DB_HOST, port: config.DB_PORT, user: config.DB_USER, database: config.DB_NAME });
  try {
    for (let run = 0; run < runs; run++) {
      await reset(db, cycle.id, config);
      await reset(db, baselineCycle.id, config);
      measured.push(
        await timed(async () => {
          created = (await cycles.act(cycle.id, { action: 'open' }, null)).createdEntries ?? 0;
        }),
      );
      reopenCreated = (await cycles.act(cycle.id, { action: 'open' }, null)).createdEntries ?? 0;
      baseline.push(await timed(() => copyRows(pool, rows)));
    }
  } finally {
    await pool.end();
  }
  const m = sample(measured);
  const b = sample(baseline);
  const ratio = m.median / b.median;
  return {
    title: 'Open a cycle of 50,000 entries',
    what: `CyclesService.act(open): ${ITEMS.toLocaleString()} items × ${SECTIONS} sections, one transaction incl. audit and reminder outbox, committed`,
    unit: 'ms',
    measured: m,
    baseline: b,
    baselineWhat: 'raw COPY of the same 50,000 (cycle, item, section, state) rows into entries',
    ratio,
    target: 'within 3× of COPY; opening again creates 0 rows',
    met: ratio <= 3 && created === ITEMS * SECTIONS && reopenCreated === 0,
    notes: [`entries created by the first open: ${created.toLocaleString()}; by opening again: ${reopenCreated}`],
  };
}

async function setup(db: DataSource): Promise<{ planId: number; templateId: number }> {
  const [dept] = await db.query(`INSERT INTO departments (code, name) VALUES ('bench', 'ベンチ部') RETURNING id`);
  await db.query(`INSERT INTO sections (department_id, code, name) SELECT $1, 'bench-' || g, 'ベンチ課' || g FROM generate_series(1, $2) g`, [
    dept.id,
    SECTIONS,
  ]);
  const [plan] = await db.query(`INSERT INTO plans (code, name, kind) VALUES ('bench', 'ベンチ計画', 'program') RETURNING id`);
  await db.query(`INSERT INTO plan_items (plan_id, number, title) SELECT $1, g, '事業' || g FROM generate_series(1, $2) g`, [plan.id, ITEMS]);
  await db.query(
    `INSERT INTO plan_item_sections (item_id, section_id)
     SELECT i.id, s.id FROM plan_items i CROSS JOIN sections s WHERE i.plan_id = $1 AND s.code LIKE 'bench-%'`,
    [plan.id],
  );
  const [template] = await db.query(
    `INSERT INTO cycle_templates (code, name, plan_id, period_type, scale_code, fields, approval_route, reminder_schedule)
     VALUES ('bench', 'ベンチ', $1, 'half_year', 'progress4', '[]', '[{"kind":"evaluator","label":"評価者"}]',
             '{"beforeBusinessDays":[7,3],"onDeadline":true,"overdueEveryBusinessDays":2,"overdueMaxCount":5}')
     RETURNING id`,
    [plan.id],
  );
  return { planId: plan.id, templateId: template.id };
}

async function reset(db: DataSource, cycleId: number, config: AppConfig): Promise<void> {
  await db.query(`DELETE FROM entries WHERE cycle_id = $1`, [cycleId]);
  await db.query(`UPDATE cycles SET state = 'draft' WHERE id = $1`, [cycleId]);
  await analyzeAsOwner(config, 'ANALYZE entries');
  await db.query(`DELETE FROM reminder_slots WHERE cycle_id = $1`, [cycleId]).catch(() => undefined);
}

async function copyRows(pool: Pool, tsv: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(`COPY entries (cycle_id, item_id, section_id, state) FROM STDIN`));
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(tsv);
    });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}
