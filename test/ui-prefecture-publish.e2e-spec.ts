import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHECKED_STAFF_PAGES, FORM_LAYOUT_LABELS } from '@app/domain';
import { runInTenant } from '@app/database';
import { staffPageFindings } from './utils/axe';
import { build } from './utils/builder';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';
import { MunicipalityFixture, PrefectureWorld } from './utils/prefecture-fixture';
import type { TestApp } from './utils/test-app';

/**
 * 市町村へ配布 in Chromium: 埼玉県's planning division opens its own template and distributes
 * it from the template's screen (the panel names what is sent), and finds it in 配布中の共通テンプレート;
 * 所沢市's planning division (its address /?t=112089) adopts it on its templates page and gets
 * its own template of the same fields; distributing again is 第2版; 埼玉県's 都道府県担当 (read
 * only) sees the template but no 市町村へ配布.
 */
describe('web UI (Chromium): the prefecture distributes a shared template', () => {
  let t: TestApp;
  let w: PrefectureWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let tokorozawa: MunicipalityFixture;
  let templateId: number;
  let itemRuleId: number;
  const CODE = 'kouyaku-half';
  const NAME = '市長公約 半期評価';
  const FIELDS = [
    { key: 'rating', label: '評価' },
    { key: 'progress', label: '取組状況' },
    { key: 'shortfallReason', label: '未達成の理由と今後の対応', type: 'long_text', required: false },
  ];

  beforeAll(async () => {
    ensureWebBuilt();
    ({ t, w, base } = await PrefectureWorld.start({ listen: true }));
    tokorozawa = await w.municipality(w.tokorozawa, '112089', '所沢市');
    // 埼玉県's own template, as its planning division made it in the builder (a plan of its own to hang it on).
    const planId = await runInTenant(w.pref, () => build(t).plan({ code: 'ken-sougou', name: '埼玉県5か年計画' }));
    const made = await w
      .http('post', '/api/templates', 'pref-planning', '110001')
      .send({ code: CODE, name: NAME, planId, periodType: 'half_year', scaleCode: 'abcd', fields: FIELDS, layout: 'sheet' });
    if (made.status !== 201) throw new Error(`template: ${made.status} ${JSON.stringify(made.body)}`);
    templateId = made.body.id;
    // A template whose rule reads an attribute of 埼玉県's plan: fine for its own template, not for municipalities' plans.
    await runInTenant(w.pref, () =>
      t.db.query(`UPDATE plans SET item_fields = $2 WHERE id = $1`, [planId, JSON.stringify([{ key: 'budget', label: '予算', type: 'money', scope: 'item' }])]),
    );
    const ruled = await w.http('post', '/api/templates', 'pref-planning', '110001').send({
      code: 'yosan-half',
      name: '予算事業 半期評価',
      planId,
      periodType: 'half_year',
      scaleCode: 'abcd',
      fields: [...FIELDS, { key: 'cost', label: '事業費の説明', type: 'long_text', required: { '>': [{ var: 'item.budget' }, 1000] } }],
    });
    if (ruled.status !== 201) throw new Error(`template: ${ruled.status} ${JSON.stringify(ruled.body)}`);
    itemRuleId = ruled.body.id;
    browser = await launchChromium();
  }, 180_000);

  /** A fresh browser profile at the municipality's address (/?t=<code>): the web remembers it and sends X-Tenant. */
  async function browseAs(code: string, login: string): Promise<void> {
    await context?.close().catch(() => undefined);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, login, 'password', { at: `${base}/?t=${code}#/login`, until: 'menu' });
  }
  const a11y = async (id: string) => {
    expect(CHECKED_STAFF_PAGES.find((p) => p.id === id)?.suite).toBe('ui-prefecture-publish');
    expect({ id, findings: await staffPageFindings(page) }).toEqual({ id, findings: [] });
  };
  /** Opens the template's screen and its 市町村へ配布 panel. */
  const distribute = async () => {
    await page.goto(`${base}/#/templates/${templateId}`);
    const section = page.getByRole('region', { name: '共通テンプレートとして配布' });
    await section.getByRole('button', { name: '市町村へ配布' }).click();
    const confirm = section.getByRole('form', { name: '市町村へ配布の確認' });
    await confirm.waitFor();
    return { section, confirm };
  };

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('埼玉県’s planning division distributes its template from the template’s screen, after a panel naming what is sent', async () => {
    await browseAs('110001', 'kikaku');
    await page.goto(`${base}/#/templates`);
    const list = page.getByRole('region', { name: '配布中の共通テンプレート' });
    await list.getByText('配布中の共通テンプレートはありません。', { exact: false }).waitFor();

    const { section, confirm } = await distribute();
    await section.getByText('このテンプレートはまだ管内の市区町村に配布していません。').waitFor();
    const facts = await confirm
      .locator('dl')
      .evaluate((dl) => Array.from(dl.querySelectorAll('dt')).map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
    expect(facts).toEqual([
      ['コード', CODE],
      ['名称', NAME],
      ['周期', '半期'],
      ['評価尺度', '取組状況4段階(ABCD)'],
      ['入力項目', '3項目(評価、取組状況、未達成の理由と今後の対応)'],
      ['報告書の様式', FORM_LAYOUT_LABELS.sheet],
    ]);
    expect(await confirm.locator('p').first().innerText()).toBe(
      '保存済みの内容(テンプレート第1版)を、管内の市区町村(2団体)に共通テンプレートとして配布します。',
    );
    expect(await confirm.innerText()).toContain('計画と承認ルートは送りません');
    await a11y('templates-distribute-confirm');
    await screenshot(page, 'prefecture-distribute-confirm');

    await confirm.getByRole('button', { name: '配布する' }).click();
    await page.getByText(`共通テンプレート「${NAME}」(第1版)を市町村へ配布しました。`).waitFor();
    await section.getByText(/第1版を配布中です/).waitFor();
    expect(await section.getByRole('form').count()).toBe(0);

    await page.goto(`${base}/#/templates`);
    const row = list.getByRole('row', { name: new RegExp(NAME) });
    await row.getByRole('cell', { name: '第1版' }).waitFor();
    const cells = (await row.getByRole('cell').allInnerTexts()).map((c) => c.trim());
    expect(cells.slice(1, 3)).toEqual(['半期', expect.any(String)]);
    expect(cells[4]).toMatch(/^令和\d+年\d+月\d+日\(.\)$/);
    // Its own definition is not offered to adopt, nor listed as its prefecture's.
    expect(await page.getByRole('region', { name: '都道府県の共通テンプレート' }).count()).toBe(0);
    await a11y('templates-distributed');
    await screenshot(page, 'prefecture-distributed-list');
  });

  it('shows the API’s refusal in the panel: a rule reading an attribute of the prefecture’s own plan', async () => {
    await page.goto(`${base}/#/templates/${itemRuleId}`);
    const section = page.getByRole('region', { name: '共通テンプレートとして配布' });
    await section.getByRole('button', { name: '市町村へ配布' }).click();
    const confirm = section.getByRole('form', { name: '市町村へ配布の確認' });
    await confirm.getByRole('button', { name: '配布する' }).click();
    const alert = confirm.getByRole('alert');
    await alert.waitFor();
    const refused = await w.http('post', '/api/shared-templates', 'pref-planning', '110001').send({
      code: 'yosan-half',
      name: 'x',
      periodType: 'half_year',
      scaleCode: 'abcd',
      fields: [
        { key: 'rating', label: '評価' },
        { key: 'cost', label: '事業費の説明', type: 'long_text', required: { '>': [{ var: 'item.budget' }, 1000] } },
      ],
    });
    expect(refused.status).toBe(422);
    expect(await alert.innerText()).toContain(refused.body.message);
    expect(await alert.innerText()).toMatch(/[ぁ-んァ-ン一-龥]/);
    await screenshot(page, 'prefecture-distribute-refused');
    expect((await w.http('get', '/api/shared-templates', 'pref-planning', '110001').expect(200)).body.map((s: { code: string }) => s.code)).toEqual([CODE]);
  });

  it('所沢市’s planning division adopts it on its templates page and gets its own template of the same fields', async () => {
    await browseAs('112089', 'kikaku');
    await page.goto(`${base}/#/templates`);
    expect(await page.getByRole('region', { name: '配布中の共通テンプレート' }).count()).toBe(0);
    const row = page.getByRole('region', { name: '都道府県の共通テンプレート' }).getByRole('row', { name: new RegExp(NAME) });
    await row.getByRole('cell', { name: '第1版' }).waitFor();
    await row.getByLabel(`${NAME}を採用する計画`).selectOption({ label: '所沢市総合計画' });
    await row.getByRole('button', { name: '採用' }).click();
    await page.getByText(`共通テンプレート「${NAME}」を採用しました。承認ルートを設定して保存してください。`).waitFor();
    await page.waitForURL(/#\/templates\/\d+$/);
    // A municipality distributes nothing: no 市町村へ配布 on its own copy.
    await page.getByRole('heading', { name: `テンプレートの編集: ${NAME}` }).waitFor();
    expect(await page.getByRole('button', { name: '市町村へ配布' }).count()).toBe(0);

    const id = Number(/templates\/(\d+)$/.exec(page.url())![1]);
    const own = (await w.http('get', `/api/templates/${id}`, '112089-planning', '112089').expect(200)).body;
    const source = (await w.http('get', `/api/templates/${templateId}`, 'pref-planning', '110001').expect(200)).body;
    expect(own).toMatchObject({ code: CODE, name: NAME, periodType: 'half_year', scaleCode: 'abcd', layout: 'sheet', planId: tokorozawa.planId });
    expect(own.fields).toEqual(source.fields);
    expect(own.fields.map((f: { label: string }) => f.label)).toEqual(FIELDS.map((f) => f.label));
  });

  it('distributing again is 第2版, in the panel, the message and the list', async () => {
    await browseAs('110001', 'kikaku');
    const { section, confirm } = await distribute();
    await section.getByText(/第1版を配布中です/).waitFor();
    expect(await confirm.locator('p').first().innerText()).toContain('に共通テンプレート第2版として配布します。');
    expect(await confirm.innerText()).toContain('採用済みの市区町村のテンプレートは、新しい版を配布しても変わりません。');
    await confirm.getByRole('button', { name: '配布する' }).click();
    await page.getByText(`共通テンプレート「${NAME}」(第2版)を市町村へ配布しました。`).waitFor();
    await section.getByText(/第2版を配布中です/).waitFor();
    await page.goto(`${base}/#/templates`);
    const row = page.getByRole('region', { name: '配布中の共通テンプレート' }).getByRole('row', { name: new RegExp(NAME) });
    await row.getByRole('cell', { name: '第2版' }).waitFor();
    await screenshot(page, 'prefecture-distributed-v2');
    const seen = (await w.http('get', '/api/shared-templates', '112089-planning', '112089').expect(200)).body;
    expect(seen).toEqual([expect.objectContaining({ code: CODE, version: 2, adopted: true, own: false })]);
  });

  it('埼玉県’s 都道府県担当 (read only) sees the template but no 市町村へ配布', async () => {
    await browseAs('110001', 'ken');
    const me = (await w.http('get', '/api/auth/me', 'pref', '110001').expect(200)).body;
    expect(me).toMatchObject({ roles: ['prefecture'], municipalities: 2 });
    await page.goto(`${base}/#/templates/${templateId}`);
    await page.locator(`tr[data-template-id="${templateId}"]`).getByText(CODE).waitFor();
    expect(await page.getByRole('button', { name: '市町村へ配布' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: '共通テンプレートとして配布' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: '配布中の共通テンプレート' }).count()).toBe(0);
  });
});
