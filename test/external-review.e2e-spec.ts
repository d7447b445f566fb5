import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/** Collects a response body as bytes (the CSV with its BOM). */
function binary(res: Response & { setEncoding?: unknown }, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * 外部評価 (行政評価委員会): an outside reviewer assigned to a cycle reads only its accepted
 * entries (no drafts, no comments of the internal route, no other cycle) and writes a
 * recommendation (提言) per item; the section answers it (対応方針) in the next cycle's entry of
 * the same item, required before submitting when the template says so; the export shows
 * recommendation → response.
 */
describe('outside review: 提言 and 対応方針 across cycles', () => {
  let t: TestApp;
  let f: CycleFixture;
  let reviewer: { id: number; token: string };
  let templateId: number;
  const cycles: number[] = [];
  const planning = () => bearer(f.users.planning.token);
  const act = (token: string, id: number, action: string, payload: object) => t.http().post(`/api/entries/${id}/${action}`).set(bearer(token)).send(payload);
  const entryOf = async (cycleId: number, item: number) =>
    (await t.db.query(`SELECT id, version, state FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, item, f.sections.a]))[0];
  async function openCycle(periodKey: string) {
    const cycle = await t.http().post('/api/cycles').set(planning()).send({ templateId, periodKey }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    cycles.push(cycle.body.id);
    return cycle.body.id as number;
  }
  async function accept(id: number, version: number, progress: string) {
    let v = (await act(f.users.staffA.token, id, 'submit', { version, rating: '○', progress }).expect(200)).body.version;
    for (const u of [f.users.chiefA, f.users.evaluator, f.users.planning]) v = (await act(u.token, id, 'approve', { version: v }).expect(200)).body.version;
    return v;
  }

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    reviewer = await userWithToken(t, { login: 'iin-1', roles: ['external_reviewer'], sectionId: null });
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({
        code: 'gaibu',
        name: '事務事業評価',
        planId: f.planId,
        periodType: 'half_year',
        scaleCode: 'progress4',
        approvalOptions: { segregation: true, fallbackApprovers: ['department_head', 'planning'], externalReview: { enabled: true, responseRequired: true } },
      })
      .expect(201);
    templateId = tpl.body.id;
  });
  afterAll(() => t?.close());

  it('the reviewer reads only the accepted entries of an assigned cycle and writes a 提言 per item', async () => {
    const c1 = await openCycle('2024-H1');
    const e2 = await entryOf(c1, f.items[1]);
    // Returned once with a comment of the internal route, then accepted.
    const s = await act(f.users.staffA.token, e2.id, 'submit', { version: e2.version, rating: '○', progress: '全校で実施' }).expect(200);
    const r = await act(f.users.chiefA.token, e2.id, 'return', { version: s.body.version, comment: '内部の指摘: 数値の根拠' }).expect(200);
    await accept(e2.id, r.body.version, '全校で実施した');
    const e1 = await entryOf(c1, f.items[0]);
    await t.http().put(`/api/entries/${e1.id}`).set(bearer(f.users.staffA.token)).send({ version: e1.version, progress: '下書きの内容' }).expect(200);

    expect((await t.http().get(`/api/external-review/cycles/${c1}/items`).set(bearer(reviewer.token))).status).toBe(403);
    await t.http().post(`/api/cycles/${c1}/external-reviewers`).set(bearer(f.users.chiefA.token)).send({ userId: reviewer.id }).expect(403);
    await t.http().post(`/api/cycles/${c1}/external-reviewers`).set(planning()).send({ userId: f.users.staffA.id }).expect(422);
    await t.http().post(`/api/cycles/${c1}/external-reviewers`).set(planning()).send({ userId: reviewer.id }).expect(201);
    expect((await t.http().get('/api/external-review/cycles').set(bearer(reviewer.token)).expect(200)).body).toMatchObject([{ id: c1 }]);

    const items = await t.http().get(`/api/external-review/cycles/${c1}/items`).set(bearer(reviewer.token)).expect(200);
    expect(items.body).toEqual([
      {
        itemId: f.items[1],
        itemNumber: 2,
        itemSubNumber: '',
        itemTitle: '小・中学校の給食費無料化',
        recommendation: null,
        sections: [{ sectionName: 'こども支援課', rating: '○', progress: '全校で実施した', reason: null, nextSteps: null }],
      },
    ]);
    expect(JSON.stringify(items.body)).not.toContain('内部の指摘');
    expect(JSON.stringify(items.body)).not.toContain('下書きの内容');
    // Nothing else of the city: not the entry itself, its history, the inbox or the reports.
    await t.http().get(`/api/entries/${e2.id}`).set(bearer(reviewer.token)).expect(403);
    await t.http().get(`/api/entries/${e2.id}/history`).set(bearer(reviewer.token)).expect(403);
    await t.http().get(`/api/cycles/${c1}/completeness`).set(bearer(reviewer.token)).expect(403);
    expect((await t.http().get('/api/approvals/inbox').set(bearer(reviewer.token)).expect(200)).body.total).toBe(0);

    await t
      .http()
      .put(`/api/external-review/cycles/${c1}/items/${f.items[0]}/recommendation`)
      .set(bearer(reviewer.token))
      .send({ text: '下書きへの提言' })
      .expect(404);
    await t.http().put(`/api/external-review/cycles/${c1}/items/${f.items[1]}/recommendation`).set(bearer(reviewer.token)).send({ text: ' ' }).expect(422);
    const rec = await t
      .http()
      .put(`/api/external-review/cycles/${c1}/items/${f.items[1]}/recommendation`)
      .set(bearer(reviewer.token))
      .send({ text: '給食費無料化の効果を保護者アンケートで検証すること' })
      .expect(200);
    expect(rec.body).toMatchObject({ cycleId: c1, itemId: f.items[1], text: '給食費無料化の効果を保護者アンケートで検証すること' });
    const [audit] = await t.db.query(`SELECT actor_user_id, after FROM audit_log WHERE action = 'recommendation.write'`);
    expect(audit).toMatchObject({ actor_user_id: reviewer.id, after: { cycleId: c1, itemId: f.items[1] } });
  });

  it('next cycle: the section sees the 提言, must answer it before submitting, and the export shows 提言 → 対応方針', async () => {
    await t.http().post(`/api/cycles/${cycles[0]}/actions`).set(planning()).send({ action: 'force_close', reason: '期末' }).expect(200);
    const c2 = await openCycle('2024-H2');
    const e = await entryOf(c2, f.items[1]);
    const view = await t.http().get(`/api/entries/${e.id}/external-review`).set(bearer(f.users.staffA.token)).expect(200);
    expect(view.body).toMatchObject({
      recommendation: { text: '給食費無料化の効果を保護者アンケートで検証すること', cycleLabel: expect.stringContaining('上半期') },
      response: null,
      required: true,
      editable: true,
    });
    const refused = await act(f.users.staffA.token, e.id, 'submit', { version: e.version, rating: '○', progress: '継続実施' }).expect(422);
    expect(refused.body.field ?? refused.body.details?.field).toBe('externalReviewResponse');
    expect((await entryOf(c2, f.items[1])).state).toBe('not_started');
    // Only the section writes it, and the reviewer sees nothing of the new cycle.
    await t.http().put(`/api/entries/${e.id}/external-review/response`).set(bearer(f.users.chiefB.token)).send({ text: '他課' }).expect(403);
    expect((await t.http().get(`/api/external-review/cycles/${c2}/items`).set(bearer(reviewer.token))).status).toBe(403);
    await t
      .http()
      .put(`/api/entries/${e.id}/external-review/response`)
      .set(bearer(f.users.staffA.token))
      .send({ text: '令和7年度に保護者アンケートを実施し結果を公表する' })
      .expect(200);
    await accept(e.id, e.version, '継続実施');
    // Once submitted the answer is part of the record: no more edits.
    const after = await t.http().get(`/api/entries/${e.id}/external-review`).set(bearer(f.users.staffA.token)).expect(200);
    expect(after.body).toMatchObject({ response: { text: '令和7年度に保護者アンケートを実施し結果を公表する' }, editable: false });

    // The matrix: the 提言 in the first cycle's column, the 対応方針 in the next one's.
    const matrix = await t.http().get(`/api/templates/${templateId}/matrix`).set(planning()).expect(200);
    const mrow = matrix.body.rows.find((r: { itemId: number; sectionId: number }) => r.itemId === f.items[1] && r.sectionId === f.sections.a);
    expect(mrow.cells.map((c: { recommendation: string | null; response: string | null }) => [c.recommendation, c.response])).toEqual([
      ['給食費無料化の効果を保護者アンケートで検証すること', null],
      [null, '令和7年度に保護者アンケートを実施し結果を公表する'],
    ]);

    const csv = await t.http().get(`/api/cycles/${c2}/export.csv`).set(planning()).buffer(true).parse(binary).expect(200);
    const records: string[][] = parse((csv.body as Buffer).toString('utf8').slice(1), { record_delimiter: '\r\n' });
    const header = records[0];
    const row = records.find((r) => r[header.indexOf('項目')] === '小・中学校の給食費無料化' && r[header.indexOf('所管課')] === 'こども支援課')!;
    expect(row[header.indexOf('前回の外部評価提言')]).toBe('給食費無料化の効果を保護者アンケートで検証すること');
    expect(row[header.indexOf('対応方針')]).toBe('令和7年度に保護者アンケートを実施し結果を公表する');
  });
});
