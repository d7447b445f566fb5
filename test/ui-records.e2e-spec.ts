import type { Browser, Page } from 'playwright-core';
import { createServer } from 'node:net';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** 文書管理 in Chromium: the planning division sees the records due for disposal and downloads one. */
describe('web UI: 文書管理 (records due for disposal)', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let page: Page;
  let base: string;
  let cycleId: number;

  beforeAll(async () => {
    ensureWebBuilt();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000', PUBLIC_URL: base });
    await t.app.listen(port, '127.0.0.1');
    f = await createCycleFixture(t);
    const auth = { Authorization: `Bearer ${f.users.planning.token}` };
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'monthly', name: '月次報告', planId: f.planId, periodType: 'monthly', scaleCode: 'abcd', retentionClass: '1y' })
      .expect(201);
    cycleId = (await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, periodKey: '2020-05' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(auth).send({ action: 'open' }).expect(200);
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(auth).send({ action: 'force_close', reason: '期限到来' }).expect(200);
    // Closed in R2 (2020): 1年 ends on 31 March 2022, long past.
    await t.db.query(`UPDATE cycles SET closed_at = '2020-07-01T03:00:00Z' WHERE id = $1`, [cycleId]);
    browser = await launchChromium();
    page = await (
      await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true })
    ).newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the record past its 保存期間 and downloads its ZIP', async () => {
    await signIn(page, 'planning', 'password', { at: `${base}/#/login`, until: 'submitted' });
    await page.getByRole('link', { name: '文書管理' }).click();
    const due = page.getByRole('region', { name: /廃棄対象/ });
    await due.getByRole('cell', { name: '月次報告', exact: true }).waitFor();
    await expect(due.getByRole('row').nth(1).textContent()).resolves.toContain('令和4年3月31日');
    await screenshot(page, 'records-disposal');
    // The record prints its PDF with a Chromium of the api's own: on a loaded machine that alone takes tens of seconds.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      due.getByRole('button', { name: /記録をダウンロード/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/_記録\.zip$/);
    const [row] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'cycle.record_download' AND subject_id = $1`, [String(cycleId)]);
    expect(row.n).toBe(1);
  }, 180_000);
});
