import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApprovalRoutingService } from '@app/approvals';
import { tokyoToday } from '@app/domain';
import { TransferJobsService } from '@app/personnel';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

const SECTIONS = 30;
const STAFF_PER_SECTION = 9;
const EFFECTIVE = '2027-04-01';
const code = (i: number) => `s${String(i).padStart(2, '0')}`;
const csv = (rows: string[][]) => Buffer.from('\uFEFF' + rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n') + '\r\n', 'utf8');
const HEADER = ['ログインID', '職員番号', '氏名', '新所属', '新職', '発令日'];

/**
 * Bulk 人事異動 from a personnel file: 300 people across 30 sections, registered with its 発令日
 * and applied by the worker's job on that day: every pending approval goes to the successor in
 * the post, the item's evaluator and the department head follow, delegations of moved people
 * end, and the next reminder goes to whoever holds the step then.
 */
describe('personnel transfers (人事異動): preview, apply on the date, work in flight', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext | null = null;
  const sink = new SmtpSink();
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const planning = () => auth(f.users.planning.token);
  const ids = { sections: [] as number[], chiefs: [] as number[], staff: [] as number[][], sanji: 0, itemOf: [] as number[] };
  let cycleId: number;
  const entryOf: number[] = [];

  const upload = (path: string, file: Buffer, fields: Record<string, string> = {}) => {
    const req = t.http().post(path).set(planning());
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', file, 'jinji.csv');
  };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ SMTP_PORT: String(sink.port), REMINDER_RELAY_EVERY_SECONDS: '1', REMINDER_SWEEP_EVERY_SECONDS: '2', NOTICE_BATCH_SECONDS: '1' });
    f = await createCycleFixture(t);
    const b = build(t);
    await t.db.query(`UPDATE users SET staff_number = 'E' || lpad(id::text, 5, '0')`);
    const plan = await b.plan({ code: 'jinji', name: '行動計画', kind: 'program' });
    for (let i = 1; i <= SECTIONS; i++) {
      const s = await b.section({ departmentId: f.departmentId, code: code(i), name: `第${i}課` });
      ids.sections[i] = s;
      ids.chiefs[i] = await b.user({ login: `chief-${code(i)}`, name: `課長${i}`, section: s, roles: ['chief'], staffNumber: `C${i}` });
      ids.staff[i] = [];
      for (let k = 1; k <= STAFF_PER_SECTION; k++) {
        ids.staff[i].push(await b.user({ login: `staff-${code(i)}-${k}`, name: `職員${i}の${k}`, section: s, roles: ['staff'], staffNumber: `S${i}-${k}` }));
      }
      ids.itemOf[i] = await b.item({ planId: plan, number: i, title: `取組${code(i)}`, sections: [s] });
    }
    ids.sanji = ids.staff[1][0];
    // Item 5 names its section's chief as evaluator: the post's successor takes it over.
    await t.db.query(`UPDATE plan_items SET evaluator_user_id = $1 WHERE id = $2`, [ids.chiefs[5], ids.itemOf[5]]);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({
        code: 'jinji-m',
        name: '行動計画 月次',
        planId: plan,
        periodType: 'monthly',
        scaleCode: 'progress4',
        submissionOffsetDays: 40,
        reviewOffsetDays: 60,
        reminderSchedule: { beforeBusinessDays: [7, 3], onDeadline: true, overdueEveryBusinessDays: 2, overdueMaxCount: 5 },
      })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(planning()).send({ templateId: tpl.body.id, date: tokyoToday() }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    // Every section's entry submitted by its staff (waiting for the section's chief); sections 1–3 also approved by their chief (waiting for the department head).
    const login = async (l: string) => (await t.http().post('/api/auth/login').send({ login: l, password: 'password' }).expect(200)).body.accessToken as string;
    for (let i = 1; i <= SECTIONS; i++) {
      const [e] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND section_id = $2`, [cycleId, ids.sections[i]]);
      entryOf[i] = e.id;
      const staff = await login(`staff-${code(i)}-2`);
      const submitted = await t
        .http()
        .post(`/api/entries/${e.id}/submit`)
        .set(auth(staff))
        .send({ version: e.version, rating: '○', progress: `進捗${i}` })
        .expect(200);
      if (i <= 3) {
        await t
          .http()
          .post(`/api/entries/${e.id}/approve`)
          .set(auth(await login(`chief-${code(i)}`)))
          .send({ version: submitted.body.version })
          .expect(200);
      }
    }
    // chief-s01 has a delegation (to one of their staff) that the move ends.
    const chief1 = await login('chief-s01');
    await t
      .http()
      .post('/api/delegations')
      .set(auth(chief1))
      .send({ toUserId: ids.staff[1][3], startsOn: tokyoToday(), endsOn: '2027-06-30', reason: '出張' })
      .expect(201);
    // …and one the chief chose to keep through a move (人事異動の後も続ける).
    const kept = await t
      .http()
      .post('/api/delegations')
      .set(auth(chief1))
      .send({
        toUserId: ids.staff[1][2],
        startsOn: tokyoToday(),
        endsOn: '2027-03-31',
        reason: '長期研修',
        stepKind: 'section_chief',
        continueAfterTransfer: true,
      })
      .expect(201);
    expect(kept.body.continueAfterTransfer).toBe(true);
    await t.db.query(`DELETE FROM reminder_mails`);
  }, 240_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  /** The personnel file: every chief moves to the next section, staff members two sections on, one staff member becomes 部長, the 部長 goes. */
  function transferFile(): string[][] {
    const rows: string[][] = [HEADER];
    const next = (i: number, by: number) => ((i - 1 + by) % SECTIONS) + 1;
    for (let i = 1; i <= SECTIONS; i++) rows.push([`chief-${code(i)}`, '', `課長${i}`, code(next(i, 1)), '課長', '令和9年4月1日']);
    for (let i = 1; i <= SECTIONS; i++)
      for (let k = 1; k <= STAFF_PER_SECTION; k++) {
        // One staff member stays where they are (not in the file): 30 chiefs, 269 staff and the 部長 make 300.
        if (i === SECTIONS && k === STAFF_PER_SECTION) continue;
        if (i === 1 && k === 1) rows.push(['', 'S1-1', '職員1の1', 'こども未来部', '部長', EFFECTIVE]);
        // Named by 職員番号 or by login, by section code or by name, with the titles personnel files use.
        else if (k % 2) rows.push(['', `S${i}-${k}`, `職員${i}の${k}`, `第${next(i, 2)}課`, k === 3 ? '係長' : '主事', '2027/4/1']);
        else rows.push([`staff-${code(i)}-${k}`, '', '', code(next(i, 2)), '担当', EFFECTIVE]);
      }
    rows.push(['eval-d1', '', 'eval-d1', code(7), '参事', EFFECTIVE]);
    return rows;
  }

  it('refuses, in the preview, a row that leaves a waiting step without an approver, naming its row', async () => {
    // chief-s10 moves to s11 as staff; nobody becomes chief of s10 while its entry waits for one.
    const bad = csv([HEADER, ['chief-s10', '', '課長10', code(11), '主事', EFFECTIVE], ['staff-s10-1', '', '職員10の1', code(10), '主事', EFFECTIVE]]);
    const res = await upload('/api/org/transfers/preview', bad).expect(200);
    expect(res.body.summary).toMatchObject({ rows: 2, errorRows: 1 });
    const [row2, row3] = res.body.rows;
    expect(row2.row).toBe(2);
    expect(row2.errors).toEqual([expect.stringMatching(/^承認者不在: この異動の後、「第10課」の所管課長の承認待ち 1 件を承認できる人がいません/)]);
    expect(row3).toMatchObject({ row: 3, errors: [], unchanged: true });
    const refused = await upload('/api/org/transfers', bad, { mode: 'now' }).expect(422);
    expect(refused.body.message).toBe('1 行に誤りがあるため、登録しませんでした');
    expect(refused.body.errors[0]).toMatchObject({ row: 2, field: 'row.2' });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM personnel_transfers`);
    expect(n).toBe(0);
    const [chief] = await t.db.query(`SELECT section_id, roles FROM users WHERE id = $1`, [ids.chiefs[10]]);
    expect(chief).toEqual({ section_id: ids.sections[10], roles: ['chief'] });
  });

  it('keeps 職員番号 unique on the users API', async () => {
    await t.db.query(`UPDATE users SET roles = roles || '{admin}' WHERE login = 'planning'`);
    const planningToken = (await t.http().post('/api/auth/login').send({ login: 'planning', password: 'password' }).expect(200)).body.accessToken;
    const res = await t.http().patch(`/api/org/users/${ids.staff[2][0]}`).set(auth(planningToken)).send({ staffNumber: 'C1' }).expect(409);
    expect(res.body).toMatchObject({ field: 'staffNumber', message: '職員番号 C1 は chief-s01 に使われています' });
    const ok = await t.http().get(`/api/org/users/${ids.chiefs[1]}`).set(auth(planningToken)).expect(200);
    expect(ok.body.staffNumber).toBe('C1');
    await t.db.query(`UPDATE users SET roles = array_remove(roles, 'admin') WHERE login = 'planning'`);
  });

  it('names each row that cannot be read: unknown person, section or post, a wrong name, a duplicate', async () => {
    const res = await upload(
      '/api/org/transfers/preview',
      csv([
        HEADER,
        ['nobody', '', '', code(1), '主事', EFFECTIVE],
        ['staff-s02-1', '', '別人', code(1), '主事', EFFECTIVE],
        ['staff-s02-2', '', '', '存在しない課', '主事', EFFECTIVE],
        ['staff-s02-3', '', '', code(1), '社長', EFFECTIVE],
        ['staff-s02-4', '', '', code(1), '主事', '来年'],
        ['staff-s02-5', '', '', code(1), '主事', EFFECTIVE],
        ['', 'S2-5', '', code(3), '主事', EFFECTIVE],
      ]),
    ).expect(200);
    const errors = Object.fromEntries(res.body.rows.map((r: { row: number; errors: string[] }) => [r.row, r.errors.join(' / ')]));
    expect(errors[2]).toContain('ログインID: 「nobody」の職員が見つかりません');
    expect(errors[3]).toContain('氏名: 「別人」は登録されている氏名（職員2の1）と異なります');
    expect(errors[4]).toContain('新所属: 「存在しない課」という課が見つかりません');
    expect(errors[5]).toContain('新職: 「社長」は職として扱えません');
    expect(errors[6]).toContain('発令日: 「来年」を日付として読めません');
    expect(errors[7]).toContain('重複: 同じ職員が 8 行目にもあります');
    expect(errors[8]).toContain('重複: 同じ職員が 7 行目にもあります');
    expect(res.body.summary.errorRows).toBe(7);
  });

  it('applies a file of 300 people on its 発令日 by the worker job: approvals, evaluator, head, delegations, reminders follow the post', async () => {
    const file = transferFile();
    expect(file.length - 1).toBe(300);
    const preview = await upload('/api/org/transfers/preview', csv(file)).expect(200);
    expect(preview.body.fileErrors).toEqual([]);
    expect(preview.body.rows.filter((r: { errors: string[] }) => r.errors.length)).toEqual([]);
    expect(preview.body.summary).toMatchObject({ rows: 300, errorRows: 0, moves: 300, reassignedEntries: SECTIONS, delegationsEnding: 1, itemsHandedOver: 1 });
    const rowOf = (person: string) => preview.body.rows.find((r: { person: string }) => r.person === person);
    expect(rowOf('chief-s01')).toMatchObject({
      current: '第1課 課長',
      next: '第2課 課長',
      effectiveDate: EFFECTIVE,
      warnings: ['この職員の代理設定 1 件を終了します', 'この職員の代理設定 1 件は、人事異動の後も続ける設定のため継続します'],
    });
    expect(rowOf('chief-s05').warnings).toEqual(['承認待ち 1 件の承認者が 課長4 に替わります', '評価者として指定された項目 1 件を 課長4 に引き継ぎます']);
    expect(rowOf('eval-d1')).toMatchObject({ current: 'こども未来部 部長', next: '第7課 参事' });
    expect(rowOf('S1-1')).toMatchObject({ current: '第1課 担当', next: 'こども未来部 部長' });

    const registered = await upload('/api/org/transfers', csv(file), { mode: 'on_date' }).expect(201);
    expect(registered.body.outcome).toBeNull();
    const transferId = registered.body.transferId;

    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    const jobs = t.app.get(TransferJobsService);
    const runJob = async (asOf: string) => {
      await jobs.enqueue(asOf);
      for (let i = 0; i < 300; i++) {
        const [{ open }] = await t.db.query(`SELECT count(*)::int AS open FROM audit_log WHERE action = 'personnel_transfer.apply' AND after ->> 'asOf' = $1`, [
          asOf,
        ]);
        if (open > 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // The day before: nothing is due.
    await jobs.enqueue('2027-03-31');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM personnel_transfer_rows WHERE applied_at IS NOT NULL`))[0].n).toBe(0);
    expect((await t.db.query(`SELECT section_id FROM users WHERE id = $1`, [ids.chiefs[1]]))[0].section_id).toBe(ids.sections[1]);

    await runJob(EFFECTIVE);
    const [{ applied }] = await t.db.query(`SELECT count(*)::int AS applied FROM personnel_transfer_rows WHERE transfer_id = $1 AND applied_at IS NOT NULL`, [
      transferId,
    ]);
    expect(applied).toBe(300);

    // Every entry waiting for a section's chief now waits for the chief who came from the section before it.
    const routing = t.app.get(ApprovalRoutingService);
    const approvers = await routing.pendingApprovers(t.db.manager, entryOf.slice(1));
    for (let i = 1; i <= SECTIONS; i++) {
      const expected = i <= 3 ? [ids.sanji] : [ids.chiefs[i === 1 ? SECTIONS : i - 1]];
      expect({ section: i, approvers: approvers.get(entryOf[i]) }).toEqual({ section: i, approvers: expected });
    }
    // The new chief of s05 (from s04) took over item 5's evaluation; staff-s01-1 heads the department.
    expect((await t.db.query(`SELECT evaluator_user_id FROM plan_items WHERE id = $1`, [ids.itemOf[5]]))[0].evaluator_user_id).toBe(ids.chiefs[4]);
    expect((await t.db.query(`SELECT head_user_id FROM departments WHERE id = $1`, [f.departmentId]))[0].head_user_id).toBe(ids.sanji);
    expect((await t.db.query(`SELECT section_id, roles FROM users WHERE id = $1`, [ids.sanji]))[0]).toEqual({ section_id: null, roles: ['evaluator'] });
    expect((await t.db.query(`SELECT section_id, roles FROM users WHERE id = $1`, [f.users.evaluator.id]))[0]).toEqual({
      section_id: ids.sections[7],
      roles: ['evaluator'],
    });
    // The delegation of chief-s01 ended; every move is audited per person.
    const [delegation, keptDelegation] = await t.db.query(`SELECT revoked_at, continue_after_transfer FROM delegations WHERE from_user_id = $1 ORDER BY id`, [
      ids.chiefs[1],
    ]);
    expect(delegation.revoked_at).not.toBeNull();
    // The one its principal chose to keep carries over.
    expect(keptDelegation).toEqual({ revoked_at: null, continue_after_transfer: true });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'delegation.end'`))[0].n).toBe(1);
    const audits = await t.db.query(`SELECT subject_id, before, after, comment FROM audit_log WHERE action = 'user.transfer' ORDER BY id`);
    expect(audits).toHaveLength(300);
    const chief1Audit = audits.find((a: { subject_id: string }) => a.subject_id === String(ids.chiefs[1]));
    expect(chief1Audit.before).toMatchObject({ sectionName: '第1課', post: '課長' });
    expect(chief1Audit.after).toMatchObject({ sectionName: '第2課', post: '課長' });
    expect(chief1Audit.comment).toMatch(/^人事異動（発令日 2027-04-01、一括 #\d+ の 2 行目）$/);

    // Idempotent: the same day again (a re-delivered job, a second worker) changes nothing.
    await jobs.enqueue(EFFECTIVE);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.transfer'`))[0].n).toBe(300);

    // The new holders were asked to approve (承認依頼), and the next review reminder goes to them.
    const notices = await t.db.query(
      `SELECT DISTINCT recipient_user_id AS id FROM reminder_mails WHERE kind = 'notice' AND payload ->> 'type' = 'review_request'`,
    );
    expect(notices.map((n: { id: number }) => n.id).sort((a: number, b: number) => a - b)).toEqual(
      [ids.sanji, ...ids.chiefs.slice(3, SECTIONS)].sort((a, b) => a - b),
    );
    const [slot] = await t.db.query(
      `UPDATE reminder_slots SET send_at = now() - interval '1 minute' WHERE id = (SELECT id FROM reminder_slots WHERE cycle_id = $1 AND audience = 'review' ORDER BY send_at LIMIT 1) RETURNING id`,
      [cycleId],
    );
    expect(slot).toBeDefined();
    await sink.waitFor(() => sink.to('chief-s04@example.jp').some((m) => m.text.includes('取組s05')), 60_000);
    const toNewChief = sink.to('chief-s04@example.jp').find((m) => m.text.includes('取組s05'))!;
    // chief-s04 now chairs s05: the digest lists s05's entry, not s04's (now chief-s03's).
    expect(toNewChief.text).not.toContain('取組s04');
    await sink.waitFor(() => sink.to('staff-s01-1@example.jp').some((m) => m.text.includes('取組s01')), 30_000);
  }, 240_000);
});
