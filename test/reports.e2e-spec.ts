import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { ReportDataService } from '@app/reports';
import { SCREENSHOT_DIR } from './utils/browser';
import { ApprovalRoutingService } from '@app/approvals';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

/** Collects a response body as bytes whatever its content type (xlsx, csv with BOM, html). */
function binary(res: Response & { setEncoding?: unknown }, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const STATES = ['not_started', 'draft', 'submitted', 'in_review', 'returned', 'accepted', 'not_submitted', 'not_approved'] as const;
const LABELS: Record<string, string> = {
  not_started: '未着手',
  draft: '下書き',
  submitted: '提出済',
  in_review: '審査中',
  returned: '差戻し',
  accepted: '承認済',
  not_submitted: '未提出',
  not_approved: '未承認',
};
const SYMBOL: Record<string, string> = { A: 'A', B: 'B', C: 'C', D: 'D' };
/**
 * The columns of the template's default form (the six fields every template had before forms
 * were configurable): the item, the rating, the fields by their labels, the one KPI slot (item
 * 2 has a KPI), then the workflow.
 */
const INTERNAL_HEADERS = [
  '番号',
  '項目',
  '章',
  '所管課',
  '評価',
  '進捗状況',
  '年度目標',
  '計画(短期目標)',
  '指標1 名称',
  '指標1 目標(令和6年度)',
  '指標1 実績',
  '指標1 達成率',
  '理由',
  '今後の取組',
  '評価者',
  '承認者',
  '状態',
  '提出日',
  '承認日',
];
const PUBLIC_HEADERS = INTERNAL_HEADERS.slice(0, INTERNAL_HEADERS.indexOf('評価者'));
const numberOf = (e: { number: number; sub_number: string }) => (e.sub_number ? `${e.number}-${e.sub_number}` : String(e.number));
const ABCD_LABEL: Record<string, string> = { A: '完了', B: '実施中', C: '着手', D: '未着手' };

interface EntryRow {
  id: number;
  state: string;
  rating: string | null;
  progress: string | null;
  reason: string | null;
  number: number;
  sub_number: string;
  chapter: string | null;
  title: string;
  section_id: number;
  section_name: string;
  department_id: number;
}

describe('reports: completeness, summaries, exports, published pages', () => {
  let t: TestApp;
  let f: CycleFixture;
  let templateId: number;
  let cycleId: number;
  let sectionD: number;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const planning = () => auth(f.users.planning.token);

  async function entries(id = cycleId): Promise<EntryRow[]> {
    return t.db.query(
      `SELECT e.id, e.state, e.rating, e.progress, e.reason, i.number, i.sub_number, i.chapter, i.title,
              s.id AS section_id, s.name AS section_name, s.department_id
         FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id
        WHERE e.cycle_id = $1 ORDER BY i.number, i.sub_number, e.section_id`,
      [id],
    );
  }

  async function openCycle(tplId: number, periodKey: string): Promise<number> {
    const cycle = (await t.http().post('/api/cycles').set(planning()).send({ templateId: tplId, periodKey }).expect(201)).body;
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    return cycle.id;
  }

  /**
   * Spreads the cycle's entries over every state and rating (set by SQL: this suite tests the
   * reports, not the approval workflow). Texts carry the entry id so leaks are easy to spot.
   */
  async function spreadStates(id: number, seed = 0) {
    const rows = await entries(id);
    for (const [i, e] of rows.entries()) {
      const state = STATES[(i + seed) % STATES.length];
      const rating = i % 5 === 4 ? null : ['A', 'B', 'C', 'D'][(i + seed) % 4];
      await t.db.query(
        `UPDATE entries SET state = $2, rating = $3, progress = $4, reason = $5, next_steps = $6,
                submitted_at = CASE WHEN $2 IN ('submitted','in_review','accepted') THEN now() END,
                accepted_at = CASE WHEN $2 = 'accepted' THEN now() END
          WHERE id = $1`,
        [e.id, state, rating, `PROGRESS-${e.id} 「進捗」, "引用"\n二行目`, `REASON-${e.id}`, `NEXT-${e.id}`],
      );
    }
    return entries(id);
  }

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    // A second department and more items (with chapters and sub-numbers) so groupings mean something.
    const b = build(t);
    const dept2 = await b.department({ code: 'd2', name: '総務部' });
    sectionD = await b.section({ departmentId: dept2, code: 'd', name: '情報政策課' });
    await b.user({ login: 'chief-d', name: '情報 太郎', email: 'd@example.jp', section: sectionD, roles: ['chief'] });
    await t.db.query(`UPDATE plan_items SET chapter = '第1章 子育て' WHERE plan_id = $1`, [f.planId]);
    const sections = [f.sections.a, f.sections.b, f.sections.c, sectionD];
    for (let n = 4; n <= 9; n++) {
      for (const sub of ['①', '②']) {
        await b.item({
          planId: f.planId,
          number: n,
          subNumber: sub,
          chapter: n <= 6 ? '第2章 まちづくり' : '第3章 人づくり',
          title: `公約${n}${sub}`,
          sections: sub === '②' ? [sections[n % 4], sections[(n + 1) % 4]] : [sections[n % 4]],
        });
      }
    }
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'pledge-h', name: '市長公約', planId: f.planId, periodType: 'half_year', scaleCode: 'abcd' })
      .expect(201);
    templateId = tpl.body.id;
    cycleId = await openCycle(templateId, '2024-H1');
    await spreadStates(cycleId);
  });
  afterAll(() => t.close());

  it('reads every entry once, in item order, across cursor batches', async () => {
    const expected = (await entries()).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(20);
    const seen: number[] = [];
    let batches = 0;
    for await (const batch of t.app.get(ReportDataService).batches(cycleId, { acceptedOnly: false }, 4)) {
      expect(batch.length).toBeLessThanOrEqual(4);
      batches++;
      seen.push(...batch.map((r) => r.id));
    }
    expect(seen).toEqual(expected);
    expect(batches).toBe(Math.ceil(expected.length / 4));
  });

  it('counts completeness per section and department and lists who is late', async () => {
    const rows = await entries();
    const onTime = await t.http().get(`/api/cycles/${cycleId}/completeness?asOf=2024-04-01`).set(planning()).expect(200);
    expect(onTime.body.lateSubmission).toEqual([]);
    expect(onTime.body.lateReview).toEqual([]);
    expect(onTime.body.stateLabels).toEqual(LABELS);

    for (const s of onTime.body.sections) {
      const mine = rows.filter((r) => r.section_id === s.sectionId);
      for (const state of STATES) expect(s.counts[state]).toBe(mine.filter((r) => r.state === state).length);
      expect(s.total).toBe(mine.length);
      const accepted = mine.filter((r) => r.state === 'accepted').length;
      expect(s.acceptedPercent).toBeCloseTo((accepted / mine.length) * 100, 1);
    }
    expect(onTime.body.sections.find((s: { sectionId: number }) => s.sectionId === f.sections.a).chiefs).toEqual(['chief-a']);
    expect(onTime.body.sections.find((s: { sectionId: number }) => s.sectionId === sectionD).chiefs).toEqual(['情報 太郎']);
    for (const d of onTime.body.departments) {
      expect(d.total).toBe(rows.filter((r) => r.department_id === d.departmentId).length);
    }
    expect(onTime.body.total.total).toBe(rows.length);
    expect(onTime.body.total.accepted).toBe(rows.filter((r) => r.state === 'accepted').length);

    // Both deadlines passed: unsubmitted entries by section (with the chief), and entries still awaiting review.
    const late = await t.http().get(`/api/cycles/${cycleId}/completeness?asOf=2030-01-01`).set(planning()).expect(200);
    const lateIds = late.body.lateSubmission.flatMap((s: { entries: { entryId: number }[] }) => s.entries.map((e) => e.entryId));
    const expectedLate = rows.filter((r) => ['not_started', 'draft', 'returned', 'not_submitted'].includes(r.state)).map((r) => r.id);
    expect(lateIds.sort()).toEqual(expectedLate.sort());
    const lateA = late.body.lateSubmission.find((s: { sectionId: number }) => s.sectionId === f.sections.a);
    expect(lateA).toMatchObject({ sectionName: 'こども支援課', chiefs: ['chief-a'] });
    const inReview = late.body.lateReview.map((e: { entryId: number }) => e.entryId).sort();
    expect(inReview).toEqual(
      rows
        .filter((r) => ['submitted', 'in_review'].includes(r.state))
        .map((r) => r.id)
        .sort(),
    );

    await t.http().get(`/api/cycles/${cycleId}/completeness`).set(auth(f.users.chiefA.token)).expect(403);
    await t.http().get(`/api/cycles/999999/completeness`).set(planning()).expect(404);
    const bad = await t.http().get(`/api/cycles/${cycleId}/completeness?asOf=tomorrow`).set(planning()).expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/asOf/);
  });

  it('summarises ratings overall, per chapter and per department, equal to counts from the rows', async () => {
    const rows = await entries();
    const check = (body: any, counted: EntryRow[]) => {
      expect(body.total).toBe(counted.length);
      expect(body.ratings.map((r: { symbol: string; label: string }) => `${r.symbol} ${r.label}`)).toEqual(['A 完了', 'B 実施中', 'C 着手', 'D 未着手']);
      for (const r of body.ratings) expect(r.count).toBe(counted.filter((e) => e.rating === r.value).length);
      expect(body.unrated).toBe(counted.filter((e) => e.rating === null).length);
      const ordinal: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };
      for (const o of body.ordinals) {
        expect(o.count).toBe(counted.filter((e) => e.rating && ordinal[e.rating] === o.ordinal).length);
      }
      for (const c of body.byChapter) {
        const inChapter = counted.filter((e) => e.chapter === c.chapter);
        expect(c.total).toBe(inChapter.length);
        for (const r of c.ratings) expect(r.count).toBe(inChapter.filter((e) => e.rating === r.value).length);
      }
      expect(body.byChapter.reduce((s: number, c: { total: number }) => s + c.total, 0)).toBe(counted.length);
      for (const d of body.byDepartment) {
        const inDept = counted.filter((e) => e.department_id === d.departmentId);
        expect(d.total).toBe(inDept.length);
        for (const r of d.ratings) expect(r.count).toBe(inDept.filter((e) => e.rating === r.value).length);
      }
    };
    const accepted = await t.http().get(`/api/cycles/${cycleId}/summary`).set(planning()).expect(200);
    expect(accepted.body.acceptedOnly).toBe(true);
    expect(accepted.body.cycle).toMatchObject({ fiscalYearLabel: '令和6年度', periodLabel: '令和6年度 上半期' });
    check(
      accepted.body,
      rows.filter((r) => r.state === 'accepted'),
    );
    const all = await t.http().get(`/api/cycles/${cycleId}/summary?acceptedOnly=false`).set(planning()).expect(200);
    check(all.body, rows);
    await t.http().get(`/api/cycles/${cycleId}/summary?acceptedOnly=maybe`).set(planning()).expect(400);
  });

  it('shows items × fiscal years for a yearly template, with counts per year from the rows', async () => {
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'action-y', name: '行財政改革アクションプラン', planId: f.planId, periodType: 'fiscal_year', scaleCode: 'action4' })
      .expect(201);
    const fy2023 = await openCycle(tpl.body.id, 'FY2023');
    const fy2024 = await openCycle(tpl.body.id, 'FY2024');
    const ratings = ['◎', '○', '△', '×'];
    for (const [k, id] of [fy2023, fy2024].entries()) {
      for (const [i, e] of (await entries(id)).entries()) {
        await t.db.query(`UPDATE entries SET state = 'accepted', rating = $2 WHERE id = $1`, [e.id, ratings[(i + k) % 4]]);
      }
    }
    const res = await t.http().get(`/api/templates/${tpl.body.id}/year-over-year`).set(planning()).expect(200);
    expect(res.body.columns.map((c: { label: string }) => c.label)).toEqual(['令和5年度', '令和6年度']);
    const r2023 = await entries(fy2023);
    const r2024 = await entries(fy2024);
    expect(res.body.rows).toHaveLength(r2024.length);
    for (const row of res.body.rows) {
      const a = r2023.find((e) => e.title === row.title && e.section_id === row.sectionId);
      const b = r2024.find((e) => e.title === row.title && e.section_id === row.sectionId);
      expect(row.cells.map((c: { symbol: string }) => c.symbol)).toEqual([a?.rating, b?.rating]);
    }
    for (const [k, list] of [r2023, r2024].entries()) {
      for (const r of res.body.columns[k].counts.ratings) expect(r.count).toBe(list.filter((e) => e.rating === r.value).length);
    }
  });

  it('exports the cycle as a streamed XLSX that reads back with the same data', async () => {
    const rows = await entries();
    const acting = rows.find((r) => r.state === 'accepted')!;
    await build(t).audit({ actorUserId: f.users.evaluator.id, acting: true, action: 'entry.approve', subjectType: 'entry', subjectId: String(acting.id) });
    const res = await t.http().get(`/api/cycles/${cycleId}/export.xlsx`).set(planning()).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('令和6年度上半期.xlsx')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['一覧', '集計', '提出状況']);

    const list = wb.getWorksheet('一覧')!;
    const values = (r: ExcelJS.Row) => (r.values as unknown[]).slice(1);
    expect(values(list.getRow(1))).toEqual(INTERNAL_HEADERS);
    const at = (header: string) => INTERNAL_HEADERS.indexOf(header) + 1;
    expect(list.actualRowCount).toBe(rows.length + 1);
    rows.forEach((e, i) => {
      const r = list.getRow(i + 2);
      expect(String(r.getCell(at('番号')).value)).toBe(numberOf(e));
      expect(r.getCell(at('項目')).value).toBe(e.title);
      expect(r.getCell(at('所管課')).value).toBe(e.section_name);
      expect(r.getCell(at('評価')).value ?? '').toBe(e.rating ? SYMBOL[e.rating] : '');
      expect(r.getCell(at('進捗状況')).value).toBe(e.progress);
      expect(r.getCell(at('状態')).value).toBe(LABELS[e.state]);
      // The department head evaluates by default; 総務部 has none.
      expect(r.getCell(at('評価者')).value ?? '').toBe(e.department_id === f.departmentId ? 'eval-d1' : '');
      expect(r.getCell(at('承認者')).value ?? '').toBe(e.id === acting.id ? 'eval-d1(代決)' : '');
      // Long texts wrap inside their column, top-aligned, as the printed list shows them; numbers keep their type.
      for (const header of ['項目', '進捗状況', '番号']) expect(r.getCell(at(header)).alignment).toEqual({ wrapText: true, vertical: 'top' });
    });

    const counts = wb.getWorksheet('集計')!;
    expect(values(counts.getRow(1))).toEqual(['評価', '区分', '件数', '割合(%)']);
    const accepted = rows.filter((r) => r.state === 'accepted');
    ['A', 'B', 'C', 'D'].forEach((v, i) => {
      const r = counts.getRow(i + 2);
      expect([r.getCell(1).value, r.getCell(2).value, r.getCell(3).value]).toEqual([v, ABCD_LABEL[v], accepted.filter((e) => e.rating === v).length]);
    });

    const status = wb.getWorksheet('提出状況')!;
    expect(values(status.getRow(1)).slice(0, 12)).toEqual(['部', '課', ...STATES.map((s) => LABELS[s]), '計', '承認率(%)']);
    const sectionCount = new Set(rows.map((r) => r.section_id)).size;
    expect(status.actualRowCount).toBe(sectionCount + 2);
    const total = status.getRow(sectionCount + 2);
    expect(total.getCell(1).value).toBe('合計');
    expect(total.getCell(2 + STATES.length + 1).value).toBe(rows.length);

    await t.http().get(`/api/cycles/${cycleId}/export.xlsx`).set(auth(f.users.staffA.token)).expect(403);
    const missing = await t.http().get(`/api/cycles/999999/export.xlsx`).set(planning()).expect(404);
    expect(missing.headers['content-disposition']).toBeUndefined();
  });

  it('exports CSV with a BOM and CRLF that parses back to the rows', async () => {
    const rows = await entries();
    const res = await t.http().get(`/api/cycles/${cycleId}/export.csv`).set(planning()).buffer(true).parse(binary).expect(200);
    const bytes: Buffer = res.body;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(INTERNAL_HEADERS.join(','));
    const at = (header: string) => INTERNAL_HEADERS.indexOf(header);
    expect(text.endsWith('\r\n')).toBe(true);
    const records: string[][] = parse(text, { record_delimiter: '\r\n' });
    expect(records).toHaveLength(rows.length + 1);
    rows.forEach((e, i) => {
      const r = records[i + 1];
      expect(r[at('番号')]).toBe(numberOf(e));
      expect(r[at('項目')]).toBe(e.title);
      expect(r[at('評価')]).toBe(e.rating ?? '');
      expect(r[at('進捗状況')]).toBe(e.progress); // commas, quotes and a newline survive
      expect(r[at('理由')]).toBe(`REASON-${e.id}`);
      expect(r[at('状態')]).toBe(LABELS[e.state]);
    });
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('令和6年度上半期.csv'));
  });

  it('exports the items × periods matrix with symbol columns', async () => {
    const h2 = await openCycle(templateId, '2024-H2');
    await spreadStates(h2, 3);
    const json = await t.http().get(`/api/templates/${templateId}/matrix?fiscalYear=2024`).set(planning()).expect(200);
    const res = await t.http().get(`/api/templates/${templateId}/matrix.xlsx?fiscalYear=2024`).set(planning()).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('市長公約_令和6年度_進捗一覧.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const sheet = wb.getWorksheet('進捗一覧')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['No.', '枝番', '項目', '所管課', '上半期', '下半期']);
    expect(sheet.actualRowCount).toBe(json.body.rows.length + 1);
    json.body.rows.forEach((row: { title: string; cells: { symbol: string }[] }, i: number) => {
      const r = sheet.getRow(i + 2);
      expect(r.getCell(3).value).toBe(row.title);
      expect([r.getCell(5).value ?? '', r.getCell(6).value ?? '']).toEqual(row.cells.map((c) => c.symbol));
    });
  });

  const chromiumPath = '/usr/bin/chromium';
  (existsSync(chromiumPath) ? it : it.skip)('renders the printable HTML report to PDF in headless Chromium', async () => {
    const res = await t.http().get(`/api/cycles/${cycleId}/report.html?acceptedOnly=false`).set(planning()).expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('@page');
    expect(res.text).toContain('令和6年度 上半期');
    expect(res.text).toContain('A 完了');
    expect(res.text).toContain('提出状況');
    expect(res.text).not.toContain('<script');
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.setContent(res.text, { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
      // Kept to look at: test-output/screenshots/reports-default-form.{png,pdf}.
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(join(SCREENSHOT_DIR, 'reports-default-form.pdf'), pdf);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'reports-default-form.png'), fullPage: true });
      expect(pdf.length).toBeGreaterThan(5 * 1024);
    } finally {
      await browser.close();
    }
  });

  it('publishes only accepted entries without internal fields, and only for published cycles', async () => {
    for (const path of ['', '/summary.json', '/export.csv']) await t.http().get(`/public/cycles/${cycleId}${path}`).expect(404);
    await t.http().get(`/public/cycles/999999`).expect(404);
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'force_close', reason: '期限到来' }).expect(200);
    await t.http().get(`/public/cycles/${cycleId}/report.html`).expect(404);
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'publish' }).expect(200);

    const rows = await entries();
    const accepted = rows.filter((r) => r.state === 'accepted');
    const others = rows.filter((r) => r.state !== 'accepted');
    expect(accepted.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);

    const page = await t.http().get(`/public/cycles/${cycleId}/report.html`).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    for (const e of accepted) expect(page.text).toContain(`PROGRESS-${e.id} `);
    for (const e of others) {
      expect(page.text).not.toContain(`PROGRESS-${e.id} `);
      expect(page.text).not.toContain(`REASON-${e.id}<`);
    }
    for (const name of ['chief-a', 'chief-b', '情報 太郎', 'planning', 'eval-d1']) expect(page.text).not.toContain(name);
    expect(page.text).not.toContain('提出状況');
    expect(page.text).not.toContain('代決');

    const summary = await t.http().get(`/public/cycles/${cycleId}/summary.json`).expect(200);
    expect(summary.body.total).toBe(accepted.length);
    for (const r of summary.body.ratings) expect(r.count).toBe(accepted.filter((e) => e.rating === r.value).length);
    expect(summary.body).not.toHaveProperty('acceptedOnly');

    const csv = await t.http().get(`/public/cycles/${cycleId}/export.csv`).buffer(true).parse(binary).expect(200);
    const records: string[][] = parse(csv.body.toString('utf8').slice(1), { record_delimiter: '\r\n' });
    expect(records[0]).toEqual(PUBLIC_HEADERS);
    expect(records.slice(1).map((r) => r[PUBLIC_HEADERS.indexOf('進捗状況')])).toEqual(accepted.map((e) => e.progress));
    const text = csv.body.toString('utf8');
    for (const e of others) expect(text).not.toContain(`,REASON-${e.id},`);
    for (const e of accepted) expect(text).toContain(`,REASON-${e.id},`);
  });
  it('freezes each publication: an edit after publication changes nothing public until it is published again, as version 2', async () => {
    // The cycle was published by the test above: version 1.
    const [{ id: itemId, title }] = await t.db.query(
      `SELECT i.id, i.title FROM entries e JOIN plan_items i ON i.id = e.item_id WHERE e.cycle_id = $1 AND e.state = 'accepted' ORDER BY e.id LIMIT 1`,
      [cycleId],
    );
    const before = await t.http().get(`/public/cycles/${cycleId}/report.html`).expect(200);
    expect(before.text).toContain('第1版 公表日: 令和');
    expect(before.text).toContain(title);
    const csvBefore = (await t.http().get(`/public/cycles/${cycleId}/export.csv`).buffer(true).parse(binary).expect(200)).body.toString('utf8');
    await t.db.query(`UPDATE plan_items SET title = $2 WHERE id = $1`, [itemId, '公表後に変えた名称']);
    const after = await t.http().get(`/public/cycles/${cycleId}/report.html`).expect(200);
    expect(after.text).toBe(before.text);
    expect((await t.http().get(`/public/cycles/${cycleId}/export.csv`).buffer(true).parse(binary).expect(200)).body.toString('utf8')).toBe(csvBefore);
    // Reopened: the published version stays online; published again: version 2 with the new title.
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'reopen', reason: '名称の訂正' }).expect(200);
    expect((await t.http().get(`/public/cycles/${cycleId}/report.html`).expect(200)).text).toBe(before.text);
    expect((await t.http().get(`/public/cycles/${cycleId}/summary.json`).expect(200)).body).toMatchObject({ version: 1 });
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'force_close', reason: '訂正済み' }).expect(200);
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'publish' }).expect(200);
    const second = await t.http().get(`/public/cycles/${cycleId}/report.html`).expect(200);
    expect(second.text).toContain('第2版 公表日: 令和');
    expect(second.text).toContain('公表後に変えた名称');
    expect(second.text).not.toContain(`>${title}<`);
    expect((await t.http().get(`/public/cycles/${cycleId}/summary.json`).expect(200)).body).toMatchObject({ version: 2 });
    // A publication is a record: not even the owner rewrites it.
    await expect(t.db.query(`UPDATE published_reports SET html = '' WHERE cycle_id = $1`, [cycleId])).rejects.toThrow(/append-only|permission denied/);
    await t.db.query(`UPDATE plan_items SET title = $2 WHERE id = $1`, [itemId, title]);
  });

  it('lists and counts to an evaluator only the entries of their department and of items assigned to them', async () => {
    // One item of the other department (section D) names our evaluator.
    // An UPDATE … RETURNING answers [rows, count].
    const [[assigned]] = await t.db.query(
      `UPDATE plan_items SET evaluator_user_id = $1
        WHERE id = (SELECT e.item_id FROM entries e WHERE e.cycle_id = $2 AND e.section_id = $3 ORDER BY e.id LIMIT 1)
        RETURNING id`,
      [f.users.evaluator.id, cycleId, sectionD],
    );
    const all = await entries();
    const visible: { title: string; section_id: number }[] = await t.db.query(
      `SELECT i.title, e.section_id FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id
        WHERE e.cycle_id = $1 AND (s.department_id = $2 OR i.evaluator_user_id = $3)`,
      [cycleId, f.departmentId, f.users.evaluator.id],
    );
    expect(visible.length).toBeLessThan(all.length);
    expect(visible.some((e) => e.section_id === sectionD)).toBe(true);
    const evaluator = auth(f.users.evaluator.token);

    const csv = await t.http().get(`/api/cycles/${cycleId}/export.csv`).set(evaluator).buffer(true).parse(binary).expect(200);
    const records: string[][] = parse(csv.body.toString('utf8').slice(1), { record_delimiter: '\r\n' });
    expect(
      records
        .slice(1)
        .map((r) => r[INTERNAL_HEADERS.indexOf('項目')])
        .sort(),
    ).toEqual(visible.map((e) => e.title).sort());

    const completeness = await t.http().get(`/api/cycles/${cycleId}/completeness`).set(evaluator).expect(200);
    expect(completeness.body.total.total).toBe(visible.length);
    const planningView = await t.http().get(`/api/cycles/${cycleId}/completeness`).set(planning()).expect(200);
    expect(planningView.body.total.total).toBe(all.length);

    const mine = await t.http().get(`/api/cycles/${cycleId}/summary?acceptedOnly=false`).set(evaluator).expect(200);
    const city = await t.http().get(`/api/cycles/${cycleId}/summary?acceptedOnly=false`).set(planning()).expect(200);
    // The counts too are of what the evaluator may read (they counted city-wide before: another
    // department's unsubmitted ratings leaked through them).
    expect(mine.body.total).toBe(visible.length);
    expect(city.body.total).toBe(all.length);
    await t.db.query(`UPDATE plan_items SET evaluator_user_id = NULL WHERE id = $1`, [assigned.id]);
  });

  it('prints each section under the name it had at the end of the period, after a later rename', async () => {
    const [{ name: before }] = await t.db.query(`SELECT name FROM sections WHERE id = $1`, [f.sections.a]);
    await t.http().post(`/api/org/sections/${f.sections.a}/rename`).set(planning()).send({ name: 'こども未来課', effectiveFrom: '2025-04-01' }).expect(200);
    const res = await t.http().get(`/api/cycles/${cycleId}/export.csv`).set(planning()).buffer(true).parse(binary).expect(200);
    const records: string[][] = parse(res.body.toString('utf8').slice(1), { record_delimiter: '\r\n' });
    const names = new Set(records.slice(1).map((r) => r[INTERNAL_HEADERS.indexOf('所管課')]));
    expect(names).toContain(before);
    expect(names).not.toContain('こども未来課');
    // Who to chase today is listed under today's name.
    const completeness = await t.http().get(`/api/cycles/${cycleId}/completeness`).set(planning()).expect(200);
    expect(completeness.body.sections.map((s: { sectionName: string }) => s.sectionName)).toContain('こども未来課');
  });
  it('lists to planning the entries waiting for an approval nobody can give; a department without a head sends the evaluator step to planning', async () => {
    const pick = async (sectionId: number) =>
      (await t.db.query(`SELECT id, state, current_step FROM entries WHERE cycle_id = $1 AND section_id = $2 ORDER BY id LIMIT 1`, [cycleId, sectionId]))[0];
    const stuck = await pick(sectionD); // 総務部 has no head and the item no evaluator
    const fine = await pick(f.sections.a); // its department head is the evaluator
    const noChief = await pick(f.sections.c);
    await t.db.query(`UPDATE entries SET state = 'in_review', current_step = 1 WHERE id = ANY($1)`, [[stuck.id, fine.id]]);
    // The forced close before marked section C's submissions 未承認: one waits again (the cycle is open).
    await t.db.query(`UPDATE entries SET state = 'submitted', current_step = 0 WHERE id = $1`, [noChief.id]);
    try {
      type Row = { entryId: number; sectionId: number; sectionName: string; departmentName: string; stepLabel: string; stateLabel: string };
      const res = await t.http().get(`/api/cycles/${cycleId}/completeness`).set(planning()).expect(200);
      const list: Row[] = res.body.withoutApprover;
      // Not a dead end: the evaluator step falls to planning, whose inbox says why.
      expect(list.map((e) => e.entryId)).not.toContain(stuck.id);
      const approvers = await t.app.get(ApprovalRoutingService).pendingApprovers(t.db.manager, [stuck.id]);
      expect(approvers.get(stuck.id)).toEqual([f.users.planning.id]);
      expect(list.map((e) => e.entryId)).not.toContain(fine.id);
      // Section C has no chief at all: its submissions wait at the chief's step for nobody.
      for (const e of list) expect([e.sectionId, e.stepLabel]).toEqual([f.sections.c, '所管課長']);
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM entries WHERE cycle_id = $1 AND section_id = $2 AND state IN ('submitted','in_review') AND current_step = 0`,
        [cycleId, f.sections.c],
      );
      expect(list.length).toBe(n);
      expect(n).toBeGreaterThan(0);
    } finally {
      await t.db.query(`UPDATE departments SET head_user_id = NULL WHERE name = '総務部'`);
      for (const e of [stuck, fine, noChief])
        await t.db.query(`UPDATE entries SET state = $2, current_step = $3 WHERE id = $1`, [e.id, e.state, e.current_step]);
    }
  });
});
