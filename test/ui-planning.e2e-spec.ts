import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { scryptParams, verifyPassword } from '@app/auth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * The planning division's screens in a real browser: create a template and a cycle, open it,
 * resend a failed reminder, close it, download the CSV and the printable report, publish,
 * and reopen with a reason. Every step is checked in the database or the downloaded file.
 */
describe('web UI (Chromium): the planning division runs a cycle', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const cspViolations: string[] = [];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    // Section C needs someone to write its report.
    await build(t).user({ login: 'staff-c', name: '職員C', roles: ['staff'], section: f.sections.c });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
    context.on('page', (p) =>
      p.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      }),
    );
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const nav = (name: string) => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name });
  async function runAction(label: string, reason?: string) {
    await page.getByRole('button', { name: label, exact: true }).click();
    if (reason) await page.getByLabel('理由').fill(reason);
    await page.getByRole('button', { name: `${label}を実行` }).click();
    await page.getByText(new RegExp(`を${label}しました`)).waitFor();
  }
  const cycleState = async (id: number) => (await t.db.query(`SELECT state FROM cycles WHERE id = $1`, [id]))[0].state;

  it('creates a template and a cycle, resends a reminder, closes, exports, publishes and reopens', async () => {
    await signIn(page, 'planning', 'password', { at: `${base}/`, until: 'submitted' });
    await page.getByRole('heading', { name: 'サイクル管理' }).waitFor();

    // --- a yearly template on the ◎○△× scale, approved by the evaluator alone ---
    await nav('テンプレート').click();
    await page.getByRole('heading', { name: 'テンプレートの作成' }).waitFor();
    await page.getByLabel('名称').fill('行革アクションプラン 年次');
    await page.getByLabel('コード(半角英小文字・数字・ハイフン)').fill('ui-action-y');
    await page.getByLabel('周期').selectOption('fiscal_year');
    await page.getByLabel('評価尺度').selectOption('action4');
    // The route starts as 課長 → 評価者; the evaluator alone approves this one.
    await page.getByRole('button', { name: '1段階目を削除' }).click();
    await page.getByRole('button', { name: '作成', exact: true }).click();
    await page.getByText('テンプレート「行革アクションプラン 年次」を作成しました。').waitFor();
    const [template] = await t.db.query(`SELECT id, period_type, scale_code, approval_route FROM cycle_templates WHERE code = 'ui-action-y'`);
    expect(template).toMatchObject({ period_type: 'fiscal_year', scale_code: 'action4', approval_route: [{ kind: 'evaluator' }] });

    // --- the 令和6年度 cycle, created as draft and opened from its dashboard ---
    await nav('サイクル管理').click();
    await page.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    await page.getByLabel('テンプレート').selectOption({ label: '行革アクションプラン 年次' });
    await page.getByLabel('対象期間に含まれる日').fill('2024-06-01');
    await page.getByRole('button', { name: '作成', exact: true }).click();
    await page.getByText(/を作成しました\(準備中\)/).waitFor();
    const [cycle] = await t.db.query(`SELECT id, state, fiscal_year, label FROM cycles WHERE template_id = $1`, [template.id]);
    expect(cycle).toMatchObject({ state: 'draft', fiscal_year: 2024 });
    await page.locator(`tr[data-cycle-id="${cycle.id}"] a`).click();
    await runAction('開始');
    expect(await cycleState(cycle.id)).toBe('open');
    const entries: { id: number; version: number; section_id: number }[] = await t.db.query(
      `SELECT id, version, section_id FROM entries WHERE cycle_id = $1 ORDER BY id`,
      [cycle.id],
    );
    expect(entries).toHaveLength(4);

    // --- a reminder that failed is resent from the reminders tab ---
    const failed = {
      id: await build(t).reminderMail({
        recipient: f.users.chiefA.id,
        kind: 'returned',
        slotKey: `entry-${entries[0].id}-v1`,
        entryId: entries[0].id,
        status: 'failed',
        attempts: 1,
        lastError: '550 5.1.1 mailbox unavailable',
      }),
    };
    await page.getByRole('tab', { name: 'リマインダー' }).click();
    await page.getByText('550 5.1.1 mailbox unavailable').waitFor();
    await page.getByRole('button', { name: '再送', exact: true }).click();
    await page.getByText('再送を登録しました。').waitFor();
    const resent = await t.db.query(`SELECT id, status, slot_key FROM reminder_mails WHERE resent_from_id = $1`, [failed.id]);
    expect(resent).toEqual([{ id: expect.any(String), status: 'pending', slot_key: `entry-${entries[0].id}-v1~r1` }]);
    await screenshot(page, '20-reminders-resend');
    // The send log narrowed to chief-a's return notices, and downloaded as it is shown.
    await page.getByLabel('宛先', { exact: true }).selectOption({ label: 'chief-a' });
    await page.getByLabel('種類', { exact: true }).selectOption('returned');
    await page.getByRole('status').filter({ hasText: '絞り込み結果: 2件' }).waitFor();
    const [log] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSVをダウンロード' }).click()]);
    expect(log.suggestedFilename()).toBe(`送信記録_${cycle.label}.csv`);
    const logBytes = readFileSync((await log.path())!);
    expect([...logBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const logLines = logBytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(logLines[0]).toBe('ID,送信日時,送信日時(ISO 8601),送信予定日時,宛先,ログインID,種類,件名,状態,試行回数,エラー,再送元ID');
    expect(logLines.slice(1).map((l) => l.split(',')[0])).toEqual([String(failed.id), String(resent[0].id)]);
    expect(logLines[1]).toContain(',chief-a,chief-a,差戻し通知,,失敗,1,550 5.1.1 mailbox unavailable,');
    expect(logLines[2]).toMatch(new RegExp(`,送信待ち,0,,${failed.id}$`));
    await screenshot(page, '21-reminders-log-filtered');

    // --- every section reports, the evaluator accepts all: the cycle closes without force ---
    const login = async (loginId: string) =>
      (await t.http().post('/api/auth/login').send({ login: loginId, password: 'password' }).expect(200)).body.accessToken as string;
    const writer: Record<number, string> = {
      [f.sections.a]: f.users.staffA.token,
      [f.sections.b]: f.users.chiefB.token,
      [f.sections.c]: await login('staff-c'),
    };
    for (const e of entries) {
      const submitted = await t
        .http()
        .post(`/api/entries/${e.id}/submit`)
        .set(auth(writer[e.section_id]))
        .send({ version: e.version, rating: '◎', progress: '計画どおり完了した' })
        .expect(200);
      await t.http().post(`/api/entries/${e.id}/approve`).set(auth(f.users.evaluator.token)).send({ version: submitted.body.version }).expect(200);
    }
    await page.reload();
    await runAction('締切');
    expect(await cycleState(cycle.id)).toBe('closed');

    // --- CSV: BOM, CRLF, the header and one row per entry; the printable report opens in a new window ---
    await page.getByRole('tab', { name: '提出状況' }).click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV出力' }).click()]);
    expect(csv.suggestedFilename()).toBe('令和6年度.csv');
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    // The template's default form: its fields by their labels, item 2's KPI, then the workflow.
    expect(lines[0]).toBe(
      '番号,項目,所管課,評価,進捗状況,年度目標,計画(短期目標),指標1 名称,指標1 目標(令和6年度),指標1 実績,指標1 達成率,理由,今後の取組,評価者,承認者,状態,提出日,承認日',
    );
    expect(lines).toHaveLength(1 + entries.length);
    expect(lines.slice(1).every((l) => l.includes('◎') && l.includes('承認済'))).toBe(true);

    const [report] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: '印刷用報告書' }).click()]);
    await report.getByRole('heading', { name: '取組状況一覧' }).waitFor();
    await report.getByText('計画どおり完了した').first().waitFor();
    await screenshot(report, '21-printable-report');
    await report.close();

    // --- publish: the public page appears; reopen needs a reason and keeps the published version online ---
    expect((await fetch(`${base}/public/cycles/${cycle.id}/summary.json`)).status).toBe(404);
    await runAction('公表');
    expect(await cycleState(cycle.id)).toBe('published');
    const published = await fetch(`${base}/public/cycles/${cycle.id}/summary.json`);
    expect(published.status).toBe(200);
    expect((await published.json()).total).toBe(entries.length);

    await page.getByRole('button', { name: '再開', exact: true }).click();
    await page.getByRole('button', { name: '再開を実行' }).click();
    await page.getByText('理由を入力してください').waitFor();
    expect(await cycleState(cycle.id)).toBe('published');
    await page.getByLabel('理由').fill('評価の記載誤りを訂正するため');
    await page.getByRole('button', { name: '再開を実行' }).click();
    await page.getByText(/を再開しました/).waitFor();
    expect(await cycleState(cycle.id)).toBe('open');
    // The last publication stays online, as published, until the next one.
    const kept = await fetch(`${base}/public/cycles/${cycle.id}/summary.json`);
    expect(kept.status).toBe(200);
    expect(await kept.json()).toMatchObject({ version: 1, total: entries.length });
    const [audit] = await t.db.query(
      `SELECT actor_user_id, comment FROM audit_log WHERE subject_type = 'cycle' AND subject_id = $1 AND action = 'cycle.reopen'`,
      [String(cycle.id)],
    );
    expect(audit).toMatchObject({ actor_user_id: f.users.planning.id, comment: '評価の記載誤りを訂正するため' });

    expect(cspViolations).toEqual([]);
  }, 120_000);

  it('lets a user change their own password from the header, signing their other sessions out', async () => {
    const other = (await t.http().post('/api/auth/login').send({ login: 'chief-b', password: 'password' }).expect(200)).body.accessToken;
    await new Promise((r) => setTimeout(r, 1100)); // token times are whole seconds
    const own = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    try {
      const p = await own.newPage();
      p.setDefaultTimeout(10_000);
      await signIn(p, 'chief-b', 'password', { at: `${base}/`, until: 'submitted' });
      await p.getByRole('link', { name: 'パスワード変更' }).click();
      await p.getByRole('heading', { name: 'パスワードの変更' }).waitFor();
      await p.getByLabel('現在のパスワード').fill('wrong-one');
      await p.getByLabel('新しいパスワード(10文字以上)').fill('Kacho-Passw0rd');
      await p.getByLabel('新しいパスワード(確認)').fill('Kacho-Passw0rd');
      await p.getByRole('button', { name: '変更する' }).click();
      await p.getByRole('alert').filter({ hasText: '現在のパスワードが正しくありません' }).waitFor();
      await p.getByLabel('現在のパスワード').fill('password');
      await p.getByRole('button', { name: '変更する' }).click();
      await p.getByText('パスワードを変更しました。').waitFor();
      // This browser goes on with the new token; the session opened elsewhere is over.
      await p.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '自課のエントリー' }).click();
      await p.getByRole('heading', { name: '自課のエントリー' }).waitFor();
      await t.http().get('/api/auth/me').set(auth(other)).expect(401);
      await t.http().post('/api/auth/login').send({ login: 'chief-b', password: 'Kacho-Passw0rd' }).expect(200);
    } finally {
      await own.close();
    }
  }, 60_000);

  it('lets an administrator add a user, reset a password and deactivate a user', async () => {
    await build(t).user({ login: 'admin', name: '管理者', roles: ['admin'] });
    const own = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    try {
      const p = await own.newPage();
      p.setDefaultTimeout(10_000);
      p.on('dialog', (d) => void d.accept());
      await signIn(p, 'admin', 'password', { at: `${base}/`, until: 'submitted' });
      await p.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '利用者' }).click();
      await p.getByRole('heading', { name: '登録されている利用者' }).waitFor();

      // A bad address is refused with the API's message, and nothing is added.
      await p.getByLabel('ログインID(半角英小文字・数字・記号 . _ -)').fill('sato-a');
      await p.getByLabel('氏名').fill('佐藤 花子');
      await p.getByLabel('メールアドレス(リマインダーの宛先)').fill('not-an-address');
      await p.getByLabel('所属課').selectOption({ label: await sectionLabel(f.sections.a) });
      await p.getByLabel('初期パスワード(10文字以上)').fill('Hanako-Passw0rd');
      await p.getByRole('button', { name: '追加', exact: true }).click();
      await p.getByRole('alert').filter({ hasText: 'email' }).waitFor();
      expect(await t.db.query(`SELECT 1 FROM users WHERE login = 'sato-a'`)).toHaveLength(0);
      await p.getByLabel('メールアドレス(リマインダーの宛先)').fill('sato-a@example.jp');
      await p.getByRole('button', { name: '追加', exact: true }).click();
      await p.getByText('佐藤 花子さん(sato-a)を追加しました。').waitFor();
      await p.locator('tr[data-user-login="sato-a"]').waitFor();
      const [row] = await t.db.query(`SELECT section_id, roles, password_hash FROM users WHERE login = 'sato-a'`);
      expect(row).toMatchObject({ section_id: f.sections.a, roles: ['staff'] });
      expect(await verifyPassword('Hanako-Passw0rd', row.password_hash, scryptParams(t.config))).toEqual({ ok: true, rehash: false });
      await screenshot(p, '22-users');

      // An April transfer: to section B as its chief.
      await p.getByRole('button', { name: '佐藤 花子の所属と役割を変更' }).click();
      const edit = p.getByRole('form', { name: '佐藤 花子の所属と役割' });
      await edit.getByLabel('所属課').selectOption({ label: await sectionLabel(f.sections.b) });
      await edit.getByRole('checkbox', { name: '担当職員' }).uncheck();
      await edit.getByRole('checkbox', { name: '課長' }).check();
      await edit.getByRole('button', { name: '保存' }).click();
      await p.getByText('佐藤 花子さんの所属と役割を変更しました。').waitFor();
      const [moved] = await t.db.query(`SELECT section_id, roles FROM users WHERE login = 'sato-a'`);
      expect(moved).toMatchObject({ section_id: f.sections.b, roles: ['chief'] });

      await p.getByRole('button', { name: '佐藤 花子のパスワードを再設定' }).click();
      await p.getByLabel('新しいパスワード').fill('Reset-Passw0rd');
      await p.getByRole('button', { name: '設定', exact: true }).click();
      await p.getByText('佐藤 花子さんのパスワードを再設定しました。').waitFor();
      await t.http().post('/api/auth/login').send({ login: 'sato-a', password: 'Reset-Passw0rd' }).expect(200);

      await p.getByRole('button', { name: '佐藤 花子を無効にする' }).click();
      await p.getByText('佐藤 花子さんを無効にしました。').waitFor();
      await t.http().post('/api/auth/login').send({ login: 'sato-a', password: 'Reset-Passw0rd' }).expect(401);
      const audit = await t.db.query(
        `SELECT action FROM audit_log WHERE subject_type = 'user' AND subject_id = (SELECT id::text FROM users WHERE login = 'sato-a') ORDER BY id`,
      );
      // Her sign-in opened a session; the deactivation ended it, in the same transaction.
      expect(audit.map((a: { action: string }) => a.action)).toEqual([
        'user.create',
        'user.update',
        'user.password_reset',
        'session.start',
        'session.end',
        'user.deactivate',
      ]);
      expect(cspViolations).toEqual([]);
    } finally {
      await own.close();
    }
  }, 60_000);

  it('lets planning name a department head and rename a section from a date, keeping past reports as they were', async () => {
    const own = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    try {
      const p = await own.newPage();
      p.setDefaultTimeout(10_000);
      await signIn(p, 'planning', 'password', { at: `${base}/`, until: 'submitted' });
      await p.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '組織' }).click();
      const [dept] = await t.db.query(`SELECT id, name FROM departments WHERE id = $1`, [f.departmentId]);
      const card = p.getByRole('region', { name: dept.name });
      await card.getByLabel('部長(この部のエントリーの評価者)').selectOption({ label: 'chief-b(chief-b)' });
      await p.getByText(`${dept.name}の部長をchief-bさんにしました。`).waitFor();
      expect((await t.db.query(`SELECT head_user_id FROM departments WHERE id = $1`, [f.departmentId]))[0].head_user_id).toBe(f.users.chiefB.id);
      await card.getByLabel('部長(この部のエントリーの評価者)').selectOption({ label: 'eval-d1(eval-d1)' });
      await p.getByText(`${dept.name}の部長をeval-d1さんにしました。`).waitFor();

      const [section] = await t.db.query(`SELECT name FROM sections WHERE id = $1`, [f.sections.c]);
      const rename = p.getByRole('form', { name: `${section.name}の名称変更` });
      await rename.getByLabel('新しい名称').fill('未来戦略課');
      await rename.getByLabel('適用日').fill('2026-04-01');
      await rename.getByRole('button', { name: '変更' }).click();
      await p.getByText(`${section.name}を2026-04-01から「未来戦略課」にしました。`).waitFor();
      const history = await t.db.query(
        `SELECT name, to_char(valid_from, 'YYYY-MM-DD') AS "from", to_char(valid_to, 'YYYY-MM-DD') AS "to" FROM section_names WHERE section_id = $1 ORDER BY valid_from`,
        [f.sections.c],
      );
      expect(history.at(-2)).toMatchObject({ name: section.name, to: '2026-03-31' });
      expect(history.at(-1)).toMatchObject({ name: '未来戦略課', from: '2026-04-01', to: null });

      // A new section from April, and the renamed one merged into it: its items move with it.
      const add = p.getByRole('form', { name: `${dept.name}に課を追加` });
      await add.getByLabel('課コード').fill('s-mirai');
      await add.getByLabel('課の名称').fill('未来創造課');
      await add.getByLabel('設置日').fill('2026-04-01');
      await add.getByRole('button', { name: '課を追加' }).click();
      await p.getByText(`${dept.name}に「未来創造課」を追加しました。`).waitFor();
      const [created] = await t.db.query(`SELECT id FROM sections WHERE code = 's-mirai'`);
      const itemsBefore = await t.db.query(`SELECT item_id FROM plan_item_sections WHERE section_id = $1 ORDER BY item_id`, [f.sections.c]);
      expect(itemsBefore.length).toBeGreaterThan(0);
      p.once('dialog', (d) => void d.accept());
      const merge = p.getByRole('form', { name: '未来戦略課の統合' });
      await merge.getByLabel('統合先').selectOption({ label: `${dept.name} 未来創造課` });
      await merge.getByLabel('統合日').fill('2026-04-01');
      await merge.getByRole('button', { name: '統合' }).click();
      await p.getByText(/未来戦略課を未来創造課に統合しました/).waitFor();
      const [retired] = await t.db.query(`SELECT active, merged_into_id FROM sections WHERE id = $1`, [f.sections.c]);
      expect(retired).toEqual({ active: false, merged_into_id: created.id });
      const itemsAfter = await t.db.query(`SELECT item_id FROM plan_item_sections WHERE section_id = $1 ORDER BY item_id`, [created.id]);
      expect(itemsAfter).toEqual(itemsBefore);

      // A new department: refused without a valid code (the API's Japanese message), then added.
      await p.getByLabel('部コード').fill('DX!');
      await p.getByLabel('部の名称').fill('デジタル推進部');
      await p.getByRole('button', { name: '部を追加' }).click();
      await p.getByRole('alert').filter({ hasText: 'code: 半角英小文字' }).waitFor();
      await p.getByLabel('部コード').fill('dx');
      await p.getByRole('button', { name: '部を追加' }).click();
      await p.getByText('「デジタル推進部」を追加しました。').waitFor();
      await p.getByRole('heading', { name: 'デジタル推進部' }).waitFor();
      expect(await t.db.query(`SELECT name FROM departments WHERE code = 'dx'`)).toEqual([{ name: 'デジタル推進部' }]);
      await screenshot(p, '23-organisation');
      expect(cspViolations).toEqual([]);
    } finally {
      await own.close();
    }
  }, 60_000);

  async function sectionLabel(id: number): Promise<string> {
    const [row] = await t.db.query(`SELECT d.name || ' ' || s.name AS label FROM sections s JOIN departments d ON d.id = s.department_id WHERE s.id = $1`, [
      id,
    ]);
    return row.label;
  }
});
