import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { CHECKED_STAFF_PAGES } from '@app/domain';
import { staffPageFindings } from './utils/axe';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { freePort } from './utils/oidc-provider';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * In Chromium: the bell in the header counts my unread notifications (the same notices as my
 * mails) and opens the list; an item opens its entry and is marked read; the link of a real
 * received mail, opened in a new tab of a signed-in user, lands on the entry without a login;
 * the 「メールの受け取り方」 radio buttons store the choice.
 */
describe('web UI: notifications, the bell and mail links (Chromium)', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  const sink = new SmtpSink();
  let entryId: number;

  beforeAll(async () => {
    ensureWebBuilt();
    await sink.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ SMTP_PORT: String(sink.port), PUBLIC_URL: base, REMINDER_RELAY_EVERY_SECONDS: '1', LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(port, '127.0.0.1');
    f = await createCycleFixture(t);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'ui', name: '市長公約 半期', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2026-H2' }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const [e] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycle.body.id,
      f.items[0],
      f.sections.a,
    ]);
    entryId = e.id;
    const submitted = await t
      .http()
      .post(`/api/entries/${e.id}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: e.version, rating: '○', progress: '予定どおり' })
      .expect(200);
    await t
      .http()
      .post(`/api/entries/${e.id}/return`)
      .set(bearer(f.users.chiefA.token))
      .send({ version: submitted.body.version, comment: '実績を記載してください', fieldComments: { progress: '件数を追記してください' } })
      .expect(200);
    await sink.waitFor(() => sink.messages.some((m) => m.to.includes('staff-a@example.jp') && m.subject.startsWith('【差戻し】')), 15_000);
    await sink.waitFor(() => sink.messages.some((m) => m.to.includes('staff-a@example.jp') && m.subject.startsWith('【依頼】')), 15_000);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  async function signInAs(login: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, login, 'password', { at: `${base}/#/login` });
    return page;
  }

  it('a mail link opened in a new tab of a signed-in user lands on the entry, without a login', async () => {
    const page = await signInAs('staff-a');
    const mail = sink.messages.find((m) => m.to.includes('staff-a@example.jp') && m.subject.startsWith('【差戻し】'))!;
    const link = mail.text.match(/エントリーを開く: (\S+)/)![1];
    expect(link).toBe(`${base}/#/entries/${entryId}`);
    const tab = await context.newPage();
    tab.setDefaultTimeout(10_000);
    await tab.goto(link);
    await tab.getByRole('heading', { name: '差戻しコメント' }).waitFor();
    await tab.getByText('件数を追記してください').first().waitFor();
    expect(tab.url()).toBe(link);
    expect(await tab.getByLabel('ログインID').count()).toBe(0);
    await screenshot(tab, 'notifications-mail-link-new-tab');
    await tab.close();
    await page.close();
  }, 60_000);

  it('the bell counts unread notifications and opens the list; an item opens its entry and is read', async () => {
    const page = await signInAs('staff-a');
    const bell = page.getByRole('link', { name: '通知 未読 2 件' });
    await bell.waitFor();
    await screenshot(page, 'notifications-bell');
    await bell.click();
    await page.getByRole('heading', { name: '通知', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'お知らせ（未読 2件）' }).waitFor();
    const item = page.getByRole('link', { name: /^【未読】【差戻し】.+No\.1 18歳までの医療費完全無料化/ });
    await item.waitFor();
    await screenshot(page, 'notifications-list');
    // The list, the settings and the bell meet JIS X 8341-3 AA (WCAG 2.1 AA), as the accessibility record says.
    expect(CHECKED_STAFF_PAGES.find((p) => p.id === 'notifications-list')?.suite).toBe('ui-notifications');
    expect(await staffPageFindings(page)).toEqual([]);
    await item.click();
    await page.getByRole('heading', { name: '差戻しコメント' }).waitFor();
    expect(page.url()).toBe(`${base}/#/entries/${entryId}`);
    await page.getByRole('link', { name: '通知 未読 1 件' }).waitFor();
    const [row] = await t.db.query(`SELECT read_at FROM reminder_mails WHERE recipient_user_id = $1 AND kind = 'returned'`, [f.users.staffA.id]);
    expect(row.read_at).not.toBeNull();
    await page.close();
  }, 60_000);

  it('「メールの受け取り方」: the radio buttons store 1日1回まとめて', async () => {
    const page = await signInAs('staff-a');
    await page.goto(`${base}/#/notifications`);
    const daily = page.getByRole('radio', { name: /1日1回まとめて受け取る/ });
    await daily.waitFor();
    expect(await page.getByRole('radio', { name: /お知らせごとにすぐ受け取る/ }).isChecked()).toBe(true);
    await daily.check();
    await page.getByRole('button', { name: '保存する' }).click();
    await page.getByText('「1日1回まとめて受け取る」に設定しました。').waitFor();
    await screenshot(page, 'notifications-settings');
    expect((await t.http().get('/api/notifications/settings').set(bearer(f.users.staffA.token)).expect(200)).body).toEqual({ mode: 'daily' });
    await page.reload();
    await page.getByRole('radio', { name: /1日1回まとめて受け取る/ }).waitFor();
    expect(await page.getByRole('radio', { name: /1日1回まとめて受け取る/ }).isChecked()).toBe(true);
    await page.close();
  }, 60_000);
});
