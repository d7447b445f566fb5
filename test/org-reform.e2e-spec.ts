import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parse } from 'csv-parse/sync';
import { TransferJobsService } from '@app/personnel';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const HEADER = ['種別', '対象', '新コード', '新名称', '部', '統合先', '施行日'];
const csv = (rows: string[][]) => Buffer.from('\uFEFF' + rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n') + '\r\n', 'utf8');

/**
 * Bulk 機構改革 from a file: the same per-row preview, all rows or none, last year's report keeps
 * last year's section and department names, and a file for a later 施行日 is applied on that day
 * by the worker's job, once, unless cancelled before.
 */
describe('organisation reform (機構改革) from a file', () => {
  let t: TestApp;
  let f: CycleFixture;
  let lastYear: number;
  let thisYear: number;
  let worker: INestApplicationContext | null = null;
  const planning = () => ({ Authorization: `Bearer ${f.users.planning.token}` });
  const upload = (path: string, rows: string[][], fields: Record<string, string> = {}) => {
    const req = t.http().post(path).set(planning());
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', csv(rows), 'kikou.csv');
  };
  const departmentsOf = async (id: number) => {
    const res = await t.http().get(`/api/cycles/${id}/summary?acceptedOnly=false`).set(planning()).expect(200);
    return res.body.byDepartment.map((d: { departmentName: string }) => d.departmentName).sort();
  };
  const sectionsOf = async (id: number) => {
    const res = await t.http().get(`/api/cycles/${id}/export.csv`).set(planning()).expect(200);
    const rows = parse(res.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    return [...new Set(rows.map((r) => r['所管課']))].sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'pledge-h', name: '市長公約', planId: f.planId, periodType: 'half_year', scaleCode: 'abcd' })
      .expect(201);
    // Last fiscal year's second half (R7 下半期, to 2026-03-31), reported by sections A, B and C.
    lastYear = (await t.http().post('/api/cycles').set(planning()).send({ templateId: tpl.body.id, periodKey: '2025-H2' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${lastYear}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    expect(await sectionsOf(lastYear)).toEqual(['こども支援課', '保育幼稚園課', '経営企画課']);
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('reports each row, applies nothing when a row is wrong, naming the row', async () => {
    const bad = [
      HEADER,
      ['課の統合', 'b', '', '', '', 'a', '2026-04-01'],
      ['課の統合', 'c', '', '', '', '存在しない課', '2026-04-01'],
      ['課の改名', 'a', '', 'x', '', '', '2026-04-01'],
    ];
    const preview = await upload('/api/org/reforms/preview', bad).expect(200);
    expect(preview.body.summary).toEqual({ rows: 3, errorRows: 2 });
    expect(preview.body.rows[0]).toMatchObject({
      row: 2,
      errors: [],
      result: '課「保育幼稚園課」を「こども支援課」に統合（項目 0 件が移動、1 件は統合先が既に所管）',
    });
    expect(preview.body.rows[0].warnings).toEqual(
      expect.arrayContaining(['「保育幼稚園課」に所属する職員 1 人はそのままです（人事異動で統合先へ移してください）']),
    );
    expect(preview.body.rows[1]).toMatchObject({ row: 3, errors: ['統合先: 「存在しない課」という課が見つかりません'] });
    expect(preview.body.rows[2].errors[0]).toMatch(/^種別: 「課の改名」は扱えません/);
    const refused = await upload('/api/org/reforms', bad).expect(422);
    expect(refused.body.message).toBe('2 行に誤りがあるため、適用しませんでした');
    expect(refused.body.errors.map((e: { row: number }) => e.row)).toEqual([3, 4]);
    // The preview and the refusal changed nothing.
    const [b] = await t.db.query(`SELECT active FROM sections WHERE id = $1`, [f.sections.b]);
    expect(b.active).toBe(true);
  });

  it('merges, renames, creates and moves from one file; last year’s report keeps last year’s names', async () => {
    const file = [
      HEADER,
      ['課の統合', '保育幼稚園課', '', '', '', 'a', '2026-04-01'],
      ['課の名称変更', 'a', '', 'こども家庭課', '', '', '2026-04-01'],
      ['部の新設', '-', 'd9', '未来創造部', '', '', '2026-04-01'],
      ['課の新設', '-', 'e', '子育て相談課', 'd1', '', '令和8年4月1日'],
      ['課の所属変更', '子育て相談課', '', '', '未来創造部', '', '2026-04-01'],
    ];
    const preview = await upload('/api/org/reforms/preview', file).expect(200);
    expect(preview.body.rows.flatMap((r: { errors: string[] }) => r.errors)).toEqual([]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM departments WHERE code = 'd9'`))[0].n).toBe(0);

    const applied = await upload('/api/org/reforms', file).expect(200);
    expect(applied.body.rows.map((r: { result: string }) => r.result)).toEqual([
      '課「保育幼稚園課」を「こども支援課」に統合（項目 0 件が移動、1 件は統合先が既に所管）',
      '課「こども支援課」を「こども家庭課」に名称変更（令和8年4月1日から）',
      '部「未来創造部」(d9) を新設',
      '課「子育て相談課」(e) を新設',
      '課「子育て相談課」を「未来創造部」へ移管',
    ]);
    const [b] = await t.db.query(`SELECT active, merged_into_id FROM sections WHERE id = $1`, [f.sections.b]);
    expect(b).toEqual({ active: false, merged_into_id: f.sections.a });
    const [item1] = await t.db.query(`SELECT array_agg(section_id ORDER BY section_id) AS s FROM plan_item_sections WHERE item_id = $1`, [f.items[0]]);
    expect(item1.s).toEqual([f.sections.a]);
    const [e] = await t.db.query(`SELECT d.code FROM sections s JOIN departments d ON d.id = s.department_id WHERE s.code = 'e'`);
    expect(e.code).toBe('d9');
    // Last year's report: the sections by the names they had on 2026-03-31; its entries stay with B.
    expect(await sectionsOf(lastYear)).toEqual(['こども支援課', '保育幼稚園課', '経営企画課']);
    // This year's cycle: the merged section's items are A's, under A's new name.
    const [{ id: tpl }] = await t.db.query(`SELECT template_id AS id FROM cycles WHERE id = $1`, [lastYear]);
    thisYear = (await t.http().post('/api/cycles').set(planning()).send({ templateId: tpl, periodKey: '2026-H2' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${thisYear}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    expect(await sectionsOf(thisYear)).toEqual(['こども家庭課', '経営企画課']);
    const actions = await t.db.query(
      `SELECT action FROM audit_log WHERE action IN ('section.merge', 'section.rename', 'department.create', 'section.create', 'section.move', 'org_reform.apply') ORDER BY id`,
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'section.merge',
      'section.rename',
      'department.create',
      'section.create',
      'section.move',
      'org_reform.apply',
    ]);
  });

  it('renames a department via file dated 1 April: last year’s printed report and summary keep the old 部名 and its export the old 課名, this year’s show the new', async () => {
    const applied = await upload('/api/org/reforms', [HEADER, ['部の名称変更', 'd1', '', 'こども家庭部', '', '', '2026-04-01']]).expect(200);
    expect(applied.body).toMatchObject({ scheduled: false, effectiveDate: '2026-04-01', summary: { rows: 1, errorRows: 0 } });
    expect(applied.body.rows[0]).toMatchObject({ result: '部「こども未来部」を「こども家庭部」に名称変更（令和8年4月1日から）', warnings: [] });
    const dept = await t.http().get(`/api/org/departments/${f.departmentId}`).set(planning()).expect(200);
    expect(dept.body.name).toBe('こども家庭部');
    expect(dept.body.nameHistory).toEqual([
      { name: 'こども未来部', validFrom: '2026-03-31', validTo: '2026-03-31', note: null },
      { name: 'こども家庭部', validFrom: '2026-04-01', validTo: null, note: '旧 こども未来部' },
    ]);
    // Last year (to 2026-03-31): the department and sections as they were named then; this year: the new names.
    expect(await departmentsOf(lastYear)).toEqual(['こども未来部']);
    expect(await departmentsOf(thisYear)).toEqual(['こども家庭部']);
    // The sections too, in the export of each year.
    expect(await sectionsOf(lastYear)).toEqual(['こども支援課', '保育幼稚園課', '経営企画課']);
    expect(await sectionsOf(thisYear)).toEqual(['こども家庭課', '経営企画課']);
    // The printed report of a form with department fields heads each department with its name of the time.
    const form = [
      { key: 'policy', label: '基本方針', type: 'long_text', scope: 'department' },
      { key: 'rating', label: '評価' },
      { key: 'progress', label: '取組状況' },
    ];
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'dept-h', name: '部の方針', planId: f.planId, periodType: 'half_year', scaleCode: 'abcd', fields: form, layout: 'list' })
      .expect(201);
    const printed = async (periodKey: string) => {
      const cycle = (await t.http().post('/api/cycles').set(planning()).send({ templateId: tpl.body.id, periodKey }).expect(201)).body.id;
      await t.http().post(`/api/cycles/${cycle}/actions`).set(planning()).send({ action: 'open' }).expect(200);
      const html = (await t.http().get(`/api/cycles/${cycle}/report.html?acceptedOnly=false`).set(planning()).expect(200)).text;
      return [...html.matchAll(/<tr class="dept-row"[^>]*><td[^>]*>(.*?)<\/td><\/tr>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''));
    };
    expect(await printed('2025-H2')).toEqual([expect.stringContaining('こども未来部')]);
    expect(await printed('2026-H2')).toEqual([expect.stringContaining('こども家庭部')]);
    // A rename from a date before the current name began is refused, naming the field.
    const early = await t
      .http()
      .post(`/api/org/departments/${f.departmentId}/rename`)
      .set(planning())
      .send({ name: '子ども部', effectiveFrom: '2026-04-01' })
      .expect(422);
    expect(early.body.message).toBe('effectiveFrom: 現在の名称の開始日 (2026-04-01) より後の日付を指定してください');
    // Editing the name corrects the current one (its period too), not the old one.
    await t.http().patch(`/api/org/departments/${f.departmentId}`).set(planning()).send({ name: 'こども・家庭部' }).expect(200);
    const corrected = await t.http().get(`/api/org/departments/${f.departmentId}`).set(planning()).expect(200);
    expect(corrected.body.nameHistory.map((n: { name: string }) => n.name)).toEqual(['こども未来部', 'こども・家庭部']);
    expect(await departmentsOf(lastYear)).toEqual(['こども未来部']);
    expect(await departmentsOf(thisYear)).toEqual(['こども・家庭部']);
  });

  it('stores a reform for a later 施行日, applies it on that day by the worker job once (items follow), audited; one cancelled before stays unapplied', async () => {
    const mixed = await upload('/api/org/reforms', [
      HEADER,
      ['課の統合', 'c', '', '', '', 'a', '2027-04-01'],
      ['課の名称変更', 'a', '', 'こども総合課', '', '', '2027-05-01'],
    ]).expect(422);
    expect(mixed.body.message).toBe('施行日に適用する機構改革は、全ての行を同じ施行日にしてください（2027-04-01、2027-05-01）');

    const file = [HEADER, ['課の統合', 'c', '', '', '', 'a', '2027-04-01'], ['部の名称変更', 'd9', '', '未来共創部', '', '', '2027-04-01']];
    const scheduled = await upload('/api/org/reforms', file).expect(200);
    expect(scheduled.body).toMatchObject({ scheduled: true, effectiveDate: '2027-04-01', summary: { rows: 2, errorRows: 0 } });
    const other = await upload('/api/org/reforms', [HEADER, ['課の名称変更', 'e', '', '子育て支援センター', '', '', '2027-04-01']]).expect(200);
    expect(other.body.scheduled).toBe(true);
    // Only checked: the organisation and the items stay as they are until the 施行日.
    const sectionsOfItem3 = async () =>
      (await t.db.query(`SELECT array_agg(section_id ORDER BY section_id) AS s FROM plan_item_sections WHERE item_id = $1`, [f.items[2]]))[0].s;
    expect((await t.db.query(`SELECT active FROM sections WHERE id = $1`, [f.sections.c]))[0].active).toBe(true);
    expect(await sectionsOfItem3()).toEqual([f.sections.c]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'org_reform.schedule'`))[0].n).toBe(2);

    // Planning cancels the second before it applies; twice is a conflict.
    await t.http().post(`/api/org/reforms/${other.body.reformId}/cancel`).set(planning()).expect(200, { id: other.body.reformId, effectiveDate: '2027-04-01' });
    await t.http().post(`/api/org/reforms/${other.body.reformId}/cancel`).set(planning()).expect(409);
    const listed = await t.http().get('/api/org/reforms').set(planning()).expect(200);
    expect(listed.body.slice(0, 2)).toMatchObject([
      { id: other.body.reformId, effectiveDate: '2027-04-01', appliedAt: null, applied: null, cancelledAt: expect.any(String) },
      {
        id: scheduled.body.reformId,
        effectiveDate: '2027-04-01',
        rows: 2,
        appliedAt: null,
        cancelledAt: null,
        results: ['課「経営企画課」を「こども家庭課」に統合（項目 1 件が移動）', '部「未来創造部」を「未来共創部」に名称変更（令和9年4月1日から）'],
      },
    ]);

    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    const jobs = t.app.get(TransferJobsService);
    const applies = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'org_reform.apply' AND subject_id = $1`, [String(scheduled.body.reformId)]))[0]
        .n;
    // The day before: nothing is due.
    await jobs.enqueueReforms('2027-03-31');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await applies()).toBe(0);
    expect((await t.db.query(`SELECT active FROM sections WHERE id = $1`, [f.sections.c]))[0].active).toBe(true);

    await jobs.enqueueReforms('2027-04-01');
    for (let i = 0; i < 100 && (await applies()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await applies()).toBe(1);
    expect((await t.db.query(`SELECT active, merged_into_id FROM sections WHERE id = $1`, [f.sections.c]))[0]).toEqual({
      active: false,
      merged_into_id: f.sections.a,
    });
    expect(await sectionsOfItem3()).toEqual([f.sections.a]);
    expect((await t.db.query(`SELECT name FROM departments WHERE code = 'd9'`))[0].name).toBe('未来共創部');
    // The cancelled one did nothing.
    expect((await t.db.query(`SELECT name FROM sections WHERE code = 'e'`))[0].name).toBe('子育て相談課');
    // Audited as by nobody (the worker), the apply row naming the day.
    const audits = await t.db.query(
      `SELECT action, actor_user_id AS actor, after ->> 'asOf' AS "asOf" FROM audit_log
        WHERE id > (SELECT max(id) FROM audit_log WHERE action = 'org_reform.cancel') ORDER BY id`,
    );
    expect(audits).toEqual([
      { action: 'section.merge', actor: null, asOf: null },
      { action: 'department.rename', actor: null, asOf: null },
      { action: 'org_reform.apply', actor: null, asOf: '2027-04-01' },
    ]);

    // Twice is once: the same day again, by either job (the transfers' run applies the day's reforms first).
    await jobs.enqueueReforms('2027-04-01');
    await jobs.enqueue('2027-04-01');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await applies()).toBe(1);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'section.merge' AND subject_id = $1`, [String(f.sections.c)]))[0].n).toBe(
      1,
    );
    const after = await t.http().get('/api/org/reforms').set(planning()).expect(200);
    expect(after.body.find((r: { id: number }) => r.id === scheduled.body.reformId)).toMatchObject({
      applied: true,
      appliedAt: expect.any(String),
      failure: null,
    });
    await t.http().post(`/api/org/reforms/${scheduled.body.reformId}/cancel`).set(planning()).expect(409);
  }, 60_000);

  it('applies a file for a later 施行日 at once when asked, and a stored file that no longer fits applies no row and says why', async () => {
    const now = await upload('/api/org/reforms', [HEADER, ['課の名称変更', 'e', '', '子育て支援課', '', '', '2027-10-01']], { mode: 'now' }).expect(200);
    expect(now.body).toMatchObject({ scheduled: false, effectiveDate: '2027-10-01' });
    expect((await t.db.query(`SELECT name FROM sections WHERE code = 'e'`))[0].name).toBe('子育て支援課');

    // Stored for 2028-04-01, then its section is merged at once meanwhile: on the day nothing of it applies.
    const later = await upload('/api/org/reforms', [
      HEADER,
      ['課の新設', '-', 'f', '若者支援課', 'd1', '', '2028-04-01'],
      ['課の名称変更', 'e', '', '子ども若者課', '', '', '2028-04-01'],
    ]).expect(200);
    expect(later.body.scheduled).toBe(true);
    await upload('/api/org/reforms', [HEADER, ['課の統合', 'e', '', '', '', 'a', '2027-11-01']], { mode: 'now' }).expect(200);
    const jobs = t.app.get(TransferJobsService);
    await jobs.enqueueReforms('2028-04-01');
    const failed = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'org_reform.fail' AND subject_id = $1`, [String(later.body.reformId)]))[0].n;
    for (let i = 0; i < 100 && (await failed()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await failed()).toBe(1);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM sections WHERE code = 'f'`))[0].n).toBe(0);
    const listed = await t.http().get('/api/org/reforms').set(planning()).expect(200);
    expect(listed.body.find((r: { id: number }) => r.id === later.body.reformId)).toMatchObject({
      applied: false,
      failure: '3 行目: 対象: 「e」は統合・廃止された課です',
    });
  }, 60_000);
});
