// The baseline of the XLSX export in its own process (its RSS is its own, plain Node like the
// compiled api it is compared with): exceljs' streaming writer fed straight from a pg cursor,
// to /dev/null. On "go <cycleId>" it writes one workbook and answers "done <rows>". Started by
// bench/child.ts with the bench's settings in its environment.
const { createWriteStream } = require('node:fs');
const { createInterface } = require('node:readline');
const ExcelJS = require('exceljs');
const { Client } = require('pg');

const SQL = `
  SELECT e.id, e.state, e.rating, e.progress, e.reason, e.next_steps, e.submitted_at, e.accepted_at,
         i.number, i.sub_number, i.chapter, i.title, s.name AS section_name,
         EXISTS (SELECT 1 FROM audit_log a
                  WHERE a.subject_type = 'entry' AND a.subject_id = k.sid
                    AND a.action = 'entry.approve' AND a.acting
                    AND a.at >= coalesce(e.submitted_at, '-infinity')) AS acting
    FROM entries e
    JOIN plan_items i ON i.id = e.item_id
    JOIN sections s ON s.id = e.section_id
    -- The id as text of its own (OFFSET 0: not folded back into a cast): under row-level
    -- security a cast is not leakproof and could not be the audit index's condition.
    CROSS JOIN LATERAL (SELECT e.id::text AS sid OFFSET 0) k
   WHERE e.cycle_id = $1
   ORDER BY i.number, i.sub_number, e.section_id`;

async function write(client, cycleId) {
  const out = createWriteStream('/dev/null');
  const done = new Promise((resolve) => out.on('finish', () => resolve()));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('一覧');
  let rows = 0;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await client.query(`DECLARE rows NO SCROLL CURSOR FOR ${SQL}`, [cycleId]);
  for (;;) {
    const batch = await client.query('FETCH FORWARD 1000 FROM rows');
    for (const r of batch.rows) {
      sheet
        .addRow([
          r.number,
          r.sub_number,
          r.chapter ?? '',
          r.title,
          r.section_name,
          r.rating ?? '',
          r.progress ?? '',
          r.reason ?? '',
          r.next_steps ?? '',
          r.state,
          r.submitted_at ?? '',
          r.accepted_at ?? '',
          r.acting ? '代決' : '',
        ])
        .commit();
      rows++;
    }
    if (batch.rows.length < 1000) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await client.query('COMMIT');
  sheet.commit();
  await workbook.commit();
  await done;
  return rows;
}

async function main() {
  // The settings the bench passed (the app's variable names; DB_PORT as a string).
  const env = process.env;
  const client = new Client({ host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USER, password: env.DB_PASSWORD, database: env.DB_NAME });
  await client.connect();
  process.stdout.write('baseline-ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const m = /^go (\d+)$/.exec(line.trim());
    if (!m) continue;
    process.stdout.write(`done ${await write(client, Number(m[1]))}\n`);
  }
  await client.end();
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
