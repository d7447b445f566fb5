import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Response } from 'supertest';
import { parse } from 'csv-parse/sync';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

function binary(res: Response, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const OUT = join(process.cwd(), 'test-output', 'records');

describe('the record of a closed cycle (公文書): ZIP, manifest, PDF, disposal list', () => {
  let t: TestApp;
  let f: CycleFixture;
  let templateId: number;
  let cycleId: number;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const planning = () => auth(f.users.planning.token);

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'pledge-h', name: '市長公約', planId: f.planId, periodType: 'half_year', scaleCode: 'abcd', retentionClass: '10y' })
      .expect(201);
    templateId = tpl.body.id;
    expect(tpl.body.retentionClass).toBe('10y');
    const cycle = (await t.http().post('/api/cycles').set(planning()).send({ templateId, periodKey: '2024-H1' }).expect(201)).body;
    cycleId = cycle.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'open' }).expect(200);
  });
  afterAll(() => t.close());

  it('refuses the record of an open cycle with 409 in Japanese', async () => {
    const res = await t.http().get(`/api/cycles/${cycleId}/record.zip`).set(planning()).expect(409);
    expect(res.body.message).toContain('締切済または公表済');
    expect(res.headers['content-disposition']).toBeUndefined();
    await t.http().get(`/api/cycles/${cycleId}/record.zip`).set(auth(f.users.chiefA.token)).expect(403);
    await t.http().get(`/api/cycles/999999/record.zip`).set(planning()).expect(404);
  });

  it('holds the PDF, CSV, XLSX, approvals and audit extract with verified checksums, retention and disposal date', async () => {
    // One entry through the whole route (課長 → 評価者 → 企画), one returned, then a forced close.
    const [first, second] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND section_id = $2 ORDER BY id`, [cycleId, f.sections.a]);
    const act = async (id: number, path: string, token: string, body: object = {}) => {
      const [{ version }] = await t.db.query(`SELECT version FROM entries WHERE id = $1`, [id]);
      return t
        .http()
        .post(`/api/entries/${id}/${path}`)
        .set(auth(token))
        .send({ version, ...body })
        .expect(200);
    };
    await act(first.id, 'submit', f.users.staffA.token, { rating: 'B', progress: '計画どおり進めている' });
    await act(first.id, 'approve', f.users.chiefA.token);
    await act(first.id, 'approve', f.users.evaluator.token);
    await act(first.id, 'approve', f.users.planning.token);
    await act(second.id, 'submit', f.users.staffA.token, { rating: 'A', progress: '完了した' });
    await act(second.id, 'return', f.users.chiefA.token, { comment: '根拠を記載してください' });
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'force_close', reason: '期限到来のため' }).expect(200);

    const res = await t.http().get(`/api/cycles/${cycleId}/record.zip`).set(planning()).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain('record.zip');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'record.zip'), res.body as Buffer);

    const zip = await JSZip.loadAsync(res.body as Buffer);
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['approvals.csv', 'audit.csv', 'audit.json', 'entries.csv', 'entries.xlsx', 'manifest.json', 'report.pdf']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.format).toBe('hyoka-cycle-record/1');
    expect(manifest.files.map((x: { name: string }) => x.name).sort()).toEqual(names.filter((n) => n !== 'manifest.json'));
    for (const entry of manifest.files as { name: string; sha256: string; size: number }[]) {
      const bytes = await zip.file(entry.name)!.async('nodebuffer');
      expect({ name: entry.name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }).toEqual({
        name: entry.name,
        size: entry.size,
        sha256: entry.sha256,
      });
    }

    // Closed today: 保存期間 10年 counts from the next 1 April and ends on 31 March ten fiscal years on.
    const [{ closedOn }] = await t.db.query(`SELECT to_char(closed_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS "closedOn" FROM cycles WHERE id = $1`, [
      cycleId,
    ]);
    const fy = Number(closedOn.slice(0, 4)) - (Number(closedOn.slice(5, 7)) < 4 ? 1 : 0);
    expect(manifest.cycle).toMatchObject({ id: cycleId, state: 'closed', stateLabel: '締切済', closedOn, template: '市長公約' });
    expect(manifest.retention).toEqual({ class: '10y', label: '10年', startsOn: `${fy + 1}-04-01`, disposalDate: `${fy + 11}-03-31` });

    // The PDF opens: a PDF header and poppler reads its pages, A4 landscape or portrait as the print CSS says.
    const pdf = await zip.file('report.pdf')!.async('nodebuffer');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    writeFileSync(join(OUT, 'report.pdf'), pdf);
    const info = execFileSync('pdfinfo', [join(OUT, 'report.pdf')], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBeGreaterThan(0);
    const [w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!.slice(1).map(Number);
    expect([Math.round(Math.min(w, h)), Math.round(Math.max(w, h))]).toEqual([595, 842]);
    const text = execFileSync('pdftotext', [join(OUT, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('市長公約');

    // The approvals: each approval and return with its step, actor and comment.
    const approvals = parse((await zip.file('approvals.csv')!.async('string')).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(approvals.map((r) => [r['エントリーID'], r['段階'], r['操作'], r['操作者']])).toEqual([
      [String(first.id), '所管課長', '承認', 'chief-a'],
      [String(first.id), '評価者', '承認', 'eval-d1'],
      [String(first.id), '企画担当', '承認', 'planning'],
      [String(second.id), '所管課長', '差戻し', 'chief-a'],
    ]);
    expect(approvals[3]['コメント']).toBe('根拠を記載してください');

    // The audit extract: the cycle's own rows and its entries', in chain order, with hashes.
    const audit = JSON.parse(await zip.file('audit.json')!.async('string')) as { action: string; subjectType: string; hash: string | null }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['cycle.open', 'cycle.force_close', 'entry.submit', 'entry.approve', 'entry.return']));
    expect(audit.every((a) => a.hash === null || /^[0-9a-f]{64}$/.test(a.hash))).toBe(true);
    const entriesCsv = await zip.file('entries.csv')!.async('string');
    expect(entriesCsv.startsWith('\uFEFF番号,項目')).toBe(true);

    // The download itself is audited, with the checksums it handed out.
    const [row] = await t.db.query(`SELECT actor_user_id, after FROM audit_log WHERE action = 'cycle.record_download' AND subject_id = $1`, [String(cycleId)]);
    expect(row.actor_user_id).toBe(f.users.planning.id);
    expect(row.after.files.find((x: { name: string }) => x.name === 'report.pdf').sha256).toBe(
      manifest.files.find((x: { name: string }) => x.name === 'report.pdf').sha256,
    );
  });

  it('lists records due for disposal and those due by the end of the next fiscal year', async () => {
    // A second template kept 1 year, with a cycle closed long ago: due now.
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'monthly', name: '月次報告', planId: f.planId, periodType: 'monthly', scaleCode: 'abcd', retentionClass: '1y' })
      .expect(201);
    // Opened (so it holds its rules, as every non-draft cycle must), then dated as closed long ago.
    const old = { id: (await build(t).openedCycle({ templateId: tpl.body.id, periodKey: '2022-05', by: f.users.planning.id })).cycleId };
    await t.db.query(`UPDATE cycles SET state = 'closed', closed_at = '2022-07-01T03:00:00Z' WHERE id = $1`, [old.id]);

    const now = await t.http().get('/api/records/disposal?asOf=2024-05-01').set(planning()).expect(200);
    expect(now.body.upcomingUntil).toBe('2026-03-31');
    expect(now.body.due.map((r: { cycleId: number }) => r.cycleId)).toEqual([old.id]);
    expect(now.body.due[0]).toMatchObject({ disposalDate: '2024-03-31', retentionLabel: '1年', templateName: '月次報告' });
    expect(now.body.upcoming).toEqual([]);
    // The 10-year record falls due in its own year.
    const [{ disposalDate }] = (await t.http().get(`/api/records/disposal?asOf=2100-01-01`).set(planning()).expect(200)).body.due.filter(
      (r: { cycleId: number }) => r.cycleId === cycleId,
    );
    const later = await t
      .http()
      .get(`/api/records/disposal?asOf=${Number(disposalDate.slice(0, 4)) - 1}-04-01`)
      .set(planning())
      .expect(200);
    expect(later.body.upcoming.map((r: { cycleId: number }) => r.cycleId)).toContain(cycleId);
    await t.http().get('/api/records/disposal?asOf=2024-02-30').set(planning()).expect(400);
    await t.http().get('/api/records/disposal').set(auth(f.users.evaluator.token)).expect(403);
  });
});
