import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHECKED_STAFF_PAGES, tokyoToday } from '@app/domain';
import { staffPageFindings } from './utils/axe';
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

/** 人事異動 in Chromium: a file refused row by row, then a correct one applied at once; 機構改革 scheduled for its 施行日, cancelled, applied at once. */
describe('web UI: 人事異動 (bulk transfers)', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let page: Page;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'hyoka-transfers-'));
  const file = (name: string, rows: string[][]) => {
    const path = join(dir, name);
    writeFileSync(path, '\uFEFF' + rows.map((r) => r.join(',')).join('\r\n') + '\r\n');
    return path;
  };
  const HEADER = ['ログインID', '氏名', '新所属', '新職', '発令日'];

  beforeAll(async () => {
    ensureWebBuilt();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000', PUBLIC_URL: base });
    await t.app.listen(port, '127.0.0.1');
    f = await createCycleFixture(t);
    // Section A's entry waits for its chief.
    const auth = { Authorization: `Bearer ${f.users.planning.token}` };
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'monthly', name: '月次', planId: f.planId, periodType: 'monthly', scaleCode: 'abcd' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, date: tokyoToday() }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(auth).send({ action: 'open' }).expect(200);
    const [e] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND section_id = $2 ORDER BY id LIMIT 1`, [cycle.body.id, f.sections.a]);
    await t
      .http()
      .post(`/api/entries/${e.id}/submit`)
      .set({ Authorization: `Bearer ${f.users.staffA.token}` })
      .send({ version: e.version, rating: 'B', progress: '実施中' })
      .expect(200);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' })).newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the row that would leave a step without approver, then applies a corrected file at once', async () => {
    await signIn(page, 'planning', 'password', { at: `${base}/#/login`, until: 'submitted' });
    await page.getByRole('link', { name: '人事異動' }).click();

    await page.getByLabel(/異動ファイル\(CSV/).setInputFiles(file('bad.csv', [HEADER, ['chief-a', 'chief-a', 'b', '係長', '2027-04-01']]));
    await page.getByRole('region', { name: '異動ファイルの読み込み' }).getByRole('button', { name: '読み込んで確認' }).click();
    const table = page.getByRole('table', { name: '行ごとの確認結果' });
    await table.getByText(/承認者不在/).waitFor();
    await expect(table.getByRole('row').nth(1).textContent()).resolves.toMatch(/^2chief-achief-aこども支援課 課長保育幼稚園課 係長（担当）令和9年4月1日/);
    await page.getByText('誤りのある行を直してから').waitFor();
    expect(await page.getByRole('button', { name: '今すぐ適用する' }).count()).toBe(0);
    await screenshot(page, 'transfers-refused');

    // chief-b comes to A as its chief: the step keeps an approver.
    await page
      .getByLabel(/異動ファイル\(CSV/)
      .setInputFiles(file('good.csv', [HEADER, ['chief-a', 'chief-a', 'b', '係長', '2027-04-01'], ['chief-b', 'chief-b', 'a', '課長', '2027-04-01']]));
    await page.getByRole('region', { name: '異動ファイルの読み込み' }).getByRole('button', { name: '読み込んで確認' }).click();
    await table.getByText('承認待ち 1 件の承認者が chief-b に替わります').waitFor();
    await screenshot(page, 'transfers-preview');
    await page.getByRole('button', { name: '今すぐ適用する' }).click();
    await page.getByText(/人事異動 #\d+ を適用しました\(異動 2人、承認者が替わったエントリー 1件\)/).waitFor();
    await page.getByRole('cell', { name: '2 / 2人' }).waitFor();
    const [chiefA] = await t.db.query(`SELECT section_id, roles FROM users WHERE id = $1`, [f.users.chiefA.id]);
    expect(chiefA).toEqual({ section_id: f.sections.b, roles: ['staff'] });

    // 機構改革 on the same page: a rename from its 施行日, previewed, then applied.
    await page.getByLabel(/機構改革ファイル/).setInputFiles(
      file('kikou.csv', [
        ['種別', '対象', '新名称', '施行日'],
        ['課の名称変更', 'b', 'こども保育課', '2027-04-01'],
      ]),
    );
    await page.getByRole('region', { name: '機構改革' }).getByRole('button', { name: '読み込んで確認' }).click();
    await page.getByRole('table', { name: '機構改革の確認結果' }).getByText('課「保育幼稚園課」を「こども保育課」に名称変更（令和9年4月1日から）').waitFor();
    await screenshot(page, 'org-reform-preview');
    // Registered for its 施行日: listed with the date and nothing changed yet.
    await page.getByRole('button', { name: '施行日に適用する' }).click();
    await page.getByText(/機構改革 #\d+ を登録しました。施行日\(令和9年4月1日\(木\)\)に自動で適用します。/).waitFor();
    const reforms = page.getByRole('table', { name: '登録済みの機構改革' });
    await reforms.getByRole('cell', { name: '令和9年4月1日(木)に適用予定' }).waitFor();
    await reforms.getByText('課「保育幼稚園課」を「こども保育課」に名称変更（令和9年4月1日から）').waitFor();
    expect((await t.db.query(`SELECT name FROM sections WHERE id = $1`, [f.sections.b]))[0].name).toBe('保育幼稚園課');
    expect(CHECKED_STAFF_PAGES.find((p) => p.id === 'org-reforms-scheduled')?.suite).toBe('ui-transfers');
    expect({ id: 'org-reforms-scheduled', findings: await staffPageFindings(page) }).toEqual({ id: 'org-reforms-scheduled', findings: [] });
    await screenshot(page, 'org-reform-scheduled');
    // Planning cancels it before the day, then applies the file at once instead.
    await reforms.getByRole('button', { name: /を取り消す$/ }).click();
    await page.getByText(/機構改革 #\d+ を取り消しました/).waitFor();
    await reforms.getByRole('cell', { name: '取消済' }).waitFor();
    await page.getByLabel(/機構改革ファイル/).setInputFiles(
      file('kikou2.csv', [
        ['種別', '対象', '新名称', '施行日'],
        ['課の名称変更', 'b', 'こども保育課', '2027-04-01'],
      ]),
    );
    await page.getByRole('region', { name: '機構改革' }).getByRole('button', { name: '読み込んで確認' }).click();
    await page.getByRole('region', { name: '機構改革' }).getByRole('button', { name: '今すぐ適用する' }).click();
    await page.getByText('機構改革を適用しました(1行)。').waitFor();
    await reforms.getByRole('cell', { name: '適用済' }).waitFor();
    expect((await t.db.query(`SELECT name FROM sections WHERE id = $1`, [f.sections.b]))[0].name).toBe('こども保育課');
  }, 60_000);
});
