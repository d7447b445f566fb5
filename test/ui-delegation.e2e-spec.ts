import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { tokyoToday } from '@app/domain';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * 代決 end to end in Chromium: planning records a delegation in the department head's name on
 * the 代理設定 screen, the head confirms it there, and the delegate (from another department)
 * sees the banner in 承認待ち, opens the entry, approves it, and the history says 代決.
 */
describe('web UI (Chromium): delegation screens and acting as delegate', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let entryId: number;

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    const dept = await createDepartment(t, { code: 'd9', name: '総務部' });
    const section = await createSection(t, { departmentId: dept, code: 's9', name: '総務課' });
    await userWithToken(t, { login: 'soumu-chief', roles: ['chief'], sectionId: section });
    await t.db.query(`UPDATE users SET name = '総務 太郎' WHERE login = 'soumu-chief'`);
    await t.db.query(`UPDATE users SET name = '子ども 部長' WHERE id = $1`, [f.users.evaluator.id]);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'uid', name: '代決画面試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2026-H1' }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycle.body.id,
      f.items[1],
      f.sections.a,
    ]);
    entryId = row.id;
    const submitted = await t
      .http()
      .post(`/api/entries/${entryId}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: row.version, rating: '○', progress: '全校で実施した' })
      .expect(200);
    await t.http().post(`/api/entries/${entryId}/approve`).set(bearer(f.users.chiefA.token)).send({ version: submitted.body.version }).expect(200);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('dialog', (d) => void d.accept());
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const signInAs = (login: string) => signIn(page, login, 'password', { fresh: true, at: `${base}/#/login`, until: 'menu' });
  const nav = (name: string) => page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name });

  it('planning records, the principal confirms, the delegate approves from the inbox, and the history shows 代決', async () => {
    await signInAs('planning');
    await nav('代理設定').click();
    await page.getByRole('heading', { name: '代理設定を追加' }).waitFor();
    await page.getByLabel('職員を検索（氏名・課名）').fill('部長');
    await page.getByLabel('代理元（承認を任せる人）').selectOption({ label: '子ども 部長（所属なし）' });
    await page.getByLabel('職員を検索（氏名・課名）').fill('総務');
    await page.getByLabel('代理者（代決する人）').selectOption({ label: '総務 太郎（総務課）' });
    await page.getByLabel('理由').fill('出張のため');
    await page.getByRole('button', { name: '登録' }).click();
    await page.getByText('子ども 部長さんの名義で登録しました').waitFor();
    const [pending] = await t.db.query(`SELECT id, confirmed_at, created_by FROM delegations`);
    expect(pending).toMatchObject({ confirmed_at: null, created_by: f.users.planning.id });

    await signInAs('eval-d1');
    await nav('代理設定').click();
    const toConfirm = page.getByRole('region', { name: '確認が必要な代理設定' });
    await toConfirm.getByText('承認待ち').waitFor();
    await screenshot(page, 'delegation-confirm');
    await toConfirm.getByRole('button', { name: '確認' }).click();
    await page.getByText('を確認し、有効にしました').waitFor();
    expect((await t.db.query(`SELECT confirmed_by FROM delegations WHERE id = $1`, [pending.id]))[0].confirmed_by).toBe(f.users.evaluator.id);

    await signInAs('soumu-chief');
    await nav('承認待ち').click();
    const today = tokyoToday();
    const [, m, d] = today.split('-').map(Number);
    await page.getByText(`代決（こども未来部長 子ども 部長）${m}/${d}〜${m}/${d}`).waitFor();
    await screenshot(page, 'delegation-inbox-banner');
    await page.getByRole('link', { name: '小・中学校の給食費無料化' }).click();
    await page.getByRole('heading', { name: /評価者の確認/ }).waitFor();
    await page.getByLabel('コメント').fill('代決にて確認');
    await page.getByRole('button', { name: '承認', exact: true }).click();
    await page.getByText('承認しました。').waitFor();
    await screenshot(page, 'delegation-after-approve');
    const history = page.getByRole('region', { name: '更新履歴' });
    await history.getByText('承認（評価者・代決）').waitFor();
    await history.getByText('（子ども 部長の代決）').waitFor();
    await history.getByText('代決にて確認').waitFor();
    await history.getByText('承認（所管課長）').waitFor();
    await screenshot(page, 'delegation-history');
    const [audit] = await t.db.query(
      `SELECT actor_user_id, on_behalf_of_user_id, acting FROM audit_log WHERE subject_id = $1 AND action = 'entry.approve' ORDER BY id DESC LIMIT 1`,
      [String(entryId)],
    );
    expect(audit).toMatchObject({ on_behalf_of_user_id: f.users.evaluator.id, acting: true });
  });

  it('lets the section withdraw a submission no one approved yet, from the entry page', async () => {
    const [row] = await t.db.query(`SELECT e.id, e.version, e.cycle_id FROM entries e WHERE e.item_id = $1 AND e.section_id = $2 ORDER BY e.id DESC LIMIT 1`, [
      f.items[0],
      f.sections.a,
    ]);
    await t
      .http()
      .post(`/api/entries/${row.id}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: row.version, rating: '○', progress: '予定どおり' })
      .expect(200);
    await signInAs('staff-a');
    await page.goto(`${base}/#/entries/${row.id}`);
    await page.getByRole('heading', { name: '提出の取下げ' }).waitFor();
    await page.getByRole('button', { name: '取下げ', exact: true }).click();
    await page.getByText('提出を取り下げました。下書きに戻りました。').waitFor();
    expect((await t.db.query(`SELECT state FROM entries WHERE id = $1`, [row.id]))[0].state).toBe('draft');
    await page.getByRole('region', { name: '更新履歴' }).getByText('取下げ').waitFor();
    await page.getByRole('heading', { name: '提出の取下げ' }).waitFor({ state: 'detached' });
  });
});
