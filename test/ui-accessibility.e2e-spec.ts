import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ACCESSIBILITY_CHECK, CHECKED_STAFF_PAGES } from '@app/domain';
import { axeContrastUndecided, staffPageFindings, type AxeViolation } from './utils/axe';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, createSection, createUser, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { ensureWebBuilt, launchChromium, screenshot, signIn } from './utils/browser';

/**
 * JIS X 8341-3:2016 AA (WCAG 2.1 A/AA) on every staff screen: the suite walks each page state
 * listed in libs/domain/src/accessibility/checked-pages.ts (the list the public accessibility
 * statement prints) with seeded data, runs axe-core in Chromium on each, and requires 0
 * violations. A second test completes an entry with the keyboard alone.
 */
describe('web UI: accessibility of every staff screen (Chromium, axe-core)', () => {
  let t: TestApp;
  let f: CycleFixture;
  let browser: Browser;
  let base: string;
  let cycleId: number;
  let templateId: number;
  let draftId: number; // item 2, section A: chief-a's draft
  let submittedId: number; // item 1, section A: submitted, waiting for the evaluator
  let returnedId: number; // item 3, section C: returned with comments
  let keyboardId: number; // item 1, section B: chief-b completes it by keyboard
  const contexts: BrowserContext[] = [];
  const results = new Map<string, AxeViolation[]>();
  /** The listed states this suite walks; the others are checked by the suite named on them. */
  const WALKED = CHECKED_STAFF_PAGES.filter((p) => !p.suite);

  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    f = await createCycleFixture(t);
    const planning = bearer(f.users.planning.token);
    await createUser(t, { login: 'chief-c', roles: ['chief'], sectionId: f.sections.c, name: '経営 課長' });
    const empty = await createSection(t, { departmentId: f.departmentId, code: 'e', name: '広報課' });
    await createUser(t, { login: 'staff-e', roles: ['staff'], sectionId: empty, name: '広報 担当' });
    const template = await t
      .http()
      .post('/api/templates')
      .set(planning)
      .send({
        code: 'a11y',
        name: '市長公約 月次進捗',
        planId: f.planId,
        periodType: 'monthly',
        scaleCode: 'progress4',
        approvalRoute: [{ kind: 'evaluator', label: '評価者' }],
      })
      .expect(201);
    templateId = template.body.id;
    const today = new Date().toISOString().slice(0, 10);
    const cycle = await t.http().post('/api/cycles').set(planning).send({ templateId, date: today }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning).send({ action: 'open' }).expect(200);
    const rows: { id: number; item_id: number; section_id: number; version: number }[] = await t.db.query(
      `SELECT id, item_id, section_id, version FROM entries WHERE cycle_id = $1`,
      [cycleId],
    );
    const entry = (item: number, section: number) => rows.find((r) => r.item_id === f.items[item] && r.section_id === section)!;
    draftId = entry(1, f.sections.a).id;
    submittedId = entry(0, f.sections.a).id;
    returnedId = entry(2, f.sections.c).id;
    keyboardId = entry(0, f.sections.b).id;
    const chiefA = bearer(f.users.chiefA.token);
    await t
      .http()
      .put(`/api/entries/${draftId}`)
      .set(chiefA)
      .send({ version: entry(1, f.sections.a).version, rating: '△', progress: '4月から市内2校で先行実施。' })
      .expect(200);
    await t
      .http()
      .post(`/api/entries/${submittedId}/submit`)
      .set(chiefA)
      .send({ version: entry(0, f.sections.a).version, rating: '○', progress: '対象年齢の拡大に向けて条例改正を準備中' })
      .expect(200);
    const chiefC = bearer((await t.http().post('/api/auth/login').send({ login: 'chief-c', password: 'password' }).expect(200)).body.accessToken);
    const sub = await t
      .http()
      .post(`/api/entries/${returnedId}/submit`)
      .set(chiefC)
      .send({ version: entry(2, f.sections.c).version, rating: '☆', progress: '移行の準備が完了した' })
      .expect(200);
    await t
      .http()
      .post(`/api/entries/${returnedId}/return`)
      .set(bearer(f.users.evaluator.token))
      .send({ version: sub.body.version, comment: '完了の根拠を追記してください。', fieldComments: { progress: '協議の結果と日付を記載してください' } })
      .expect(200);
    // An administrator-set password: that user gets the change form and nothing else.
    await t
      .http()
      .post('/api/org/users')
      .set(bearer((await userWithToken(t, { login: 'admin', roles: ['admin'] })).token))
      .send({ login: 'shinnin', name: '新任 職員', email: 'shinnin@example.jp', roles: ['staff'], sectionId: f.sections.a, password: 'Welcome-2024-x' })
      .expect(201);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  const signInAt = (page: Page, login: string, password = 'password') => signIn(page, login, password, { at: `${base}/#/login`, until: 'submitted' });

  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

  /** Runs axe on the page as it is now and records the result under the listed state's id. */
  async function check(page: Page, id: string) {
    if (!WALKED.some((p) => p.id === id)) throw new Error(`${id} is not in CHECKED_STAFF_PAGES (without a suite of its own)`);
    results.set(id, await staffPageFindings(page));
    if (process.env.A11Y_DEBUG) console.log(id, await axeContrastUndecided(page));
    await screenshot(page, `a11y-${id}`);
  }

  it('finds 0 axe-core violations on every listed page state', async () => {
    const version = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'package.json'), 'utf8')).version;
    expect(version).toBe(ACCESSIBILITY_CHECK.toolVersion);

    // --- signed out ---
    const anon = await open();
    await anon.goto(`${base}/#/login`);
    await anon.getByLabel('ログインID').waitFor();
    await check(anon, 'login');
    await signInAt(anon, 'chief-a', 'wrong-password');
    await anon.getByRole('alert').waitFor();
    await check(anon, 'login-error');
    await signInAt(anon, 'shinnin', 'Welcome-2024-x');
    await anon.getByLabel('新しいパスワード', { exact: false }).first().waitFor();
    await check(anon, 'forced-password');

    // --- section chief: my entries, the draft, a failed submit, a submitted one ---
    const chief = await open();
    await signInAt(chief, 'chief-a');
    await chief.getByRole('heading', { name: '自課のエントリー' }).waitFor();
    await chief.getByRole('link', { name: '小・中学校の給食費無料化' }).waitFor();
    await check(chief, 'mine');
    await chief.goto(`${base}/#/entries/${draftId}`);
    await chief.locator('#field-reason').waitFor();
    await check(chief, 'entry-draft');
    await chief.locator('#field-progress').fill('');
    await chief.getByRole('button', { name: '提出', exact: true }).click();
    await chief.locator('.field-error').first().waitFor();
    await check(chief, 'entry-invalid');
    await chief.goto(`${base}/#/entries/${submittedId}`);
    await chief.getByRole('heading', { name: /医療費完全無料化/ }).waitFor();
    await chief.locator('.entry-state').filter({ hasText: '提出済' }).waitFor();
    await check(chief, 'entry-readonly');
    await chief.goto(`${base}/#/password`);
    await chief.getByRole('heading', { name: 'パスワードの変更' }).waitFor();
    await chief.getByRole('heading', { name: 'ログイン中の端末' }).waitFor();
    await check(chief, 'password');
    await chief.getByLabel('現在のパスワード').fill('password');
    await chief.locator('#pw-new').fill('short');
    await chief.getByRole('button', { name: '変更する' }).click();
    await chief.getByRole('alert').waitFor();
    await check(chief, 'password-invalid');
    await chief.goto(`${base}/#/glossary`);
    await chief.getByRole('heading', { name: '用語集' }).waitFor();
    await check(chief, 'glossary');
    await chief.goto(`${base}/#/no-such-page`);
    await chief.getByRole('heading', { name: 'ページが見つかりません' }).waitFor();
    await check(chief, 'not-found');

    const returned = await open();
    await signInAt(returned, 'chief-c');
    await menu(returned).waitFor();
    await returned.goto(`${base}/#/entries/${returnedId}`);
    await returned.getByRole('heading', { name: '差戻しコメント' }).waitFor();
    await returned.locator('#comment-progress').waitFor();
    await check(returned, 'entry-returned');
    await returned.goto(`${base}/#/notifications`);
    await returned.getByRole('heading', { name: '通知', exact: true }).waitFor();
    await returned.getByRole('heading', { name: 'メールの受け取り方' }).waitFor();
    await check(returned, 'notifications');

    const nobody = await open();
    await signInAt(nobody, 'staff-e');
    await nobody.getByRole('heading', { name: '自課のエントリー' }).waitFor();
    await nobody.locator('.empty').waitFor();
    await check(nobody, 'mine-empty');

    const chiefB = await open();
    await signInAt(chiefB, 'chief-b');
    await menu(chiefB).waitFor();
    await chiefB.goto(`${base}/#/inbox`);
    await chiefB.getByText('承認待ちのエントリーはありません。').waitFor();
    await check(chiefB, 'inbox-empty');
    await chiefB.goto(`${base}/#/delegations`);
    await chiefB.getByRole('heading', { level: 1, name: /代理設定/ }).waitFor();
    await chiefB.waitForLoadState('networkidle');

    // --- evaluator: inbox with items, the review, a return without a reason ---
    const evaluator = await open();
    await signInAt(evaluator, 'eval-d1');
    await evaluator.getByRole('heading', { name: '承認待ち' }).waitFor();
    await evaluator.getByRole('link', { name: '18歳までの医療費完全無料化' }).waitFor();
    await check(evaluator, 'inbox');
    await evaluator.getByRole('link', { name: '18歳までの医療費完全無料化' }).click();
    await evaluator.getByRole('heading', { name: '評価者の確認' }).waitFor();
    await check(evaluator, 'entry-review');
    await evaluator.getByLabel('差し戻す').check();
    await evaluator.getByRole('button', { name: '差戻し', exact: true }).click();
    await evaluator.getByRole('alert').filter({ hasText: '差戻しの理由を入力してください' }).waitFor();
    await check(evaluator, 'entry-review-invalid');

    // --- planning division: every management screen ---
    const planning = await open();
    await signInAt(planning, 'planning');
    await planning.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    await planning.locator(`tr[data-cycle-id="${cycleId}"]`).waitFor();
    await check(planning, 'cycles');
    await planning.locator(`tr[data-cycle-id="${cycleId}"] a`).click();
    await planning.getByRole('heading', { name: '全体' }).waitFor();
    await check(planning, 'cycle-completeness');
    await planning.getByRole('tab', { name: '集計' }).click();
    await planning.getByRole('heading', { name: /評価別の件数/ }).waitFor();
    await check(planning, 'cycle-summary');
    await planning.getByRole('tab', { name: 'エントリー一覧' }).click();
    await planning.getByRole('tabpanel').locator('table').first().waitFor();
    await check(planning, 'cycle-entries');
    await planning.getByRole('tab', { name: 'リマインダー' }).click();
    await planning.getByRole('heading', { name: '送信状況' }).waitFor();
    await check(planning, 'cycle-reminders');
    // The send log narrowed to one recipient and one kind: chief-a's 依頼.
    await planning.getByLabel('宛先', { exact: true }).selectOption({ label: 'chief-a' });
    await planning.getByLabel('種類', { exact: true }).selectOption('notice');
    await planning.getByRole('status').filter({ hasText: '絞り込み結果: 1件' }).waitFor();
    expect(await planning.locator('tr[data-mail-id]').count()).toBe(1);
    await check(planning, 'cycle-reminders-filtered');
    await planning.getByRole('button', { name: '締切', exact: true }).click();
    await planning.getByRole('button', { name: '締切を実行' }).waitFor();
    await check(planning, 'cycle-confirm');

    await menu(planning).getByRole('link', { name: '進捗一覧' }).click();
    await planning.locator('table.matrix').waitFor();
    await check(planning, 'matrix');
    await menu(planning).getByRole('link', { name: '計画・項目' }).click();
    await planning.getByRole('link', { name: '市長公約' }).waitFor();
    await check(planning, 'plans');
    await planning.goto(`${base}/#/plans/${f.planId}`);
    await planning.getByRole('link', { name: '小・中学校の給食費無料化' }).waitFor();
    await check(planning, 'plan');
    await planning.goto(`${base}/#/plans/${f.planId}/items/${f.items[1]}`);
    await planning.locator('input, textarea').first().waitFor();
    await planning.waitForLoadState('networkidle');
    await check(planning, 'item-edit');
    await planning.goto(`${base}/#/plans/${f.planId}/items/new`);
    await planning.locator('input, textarea').first().waitFor();
    await planning.getByRole('button', { name: '項目を作成' }).click();
    await planning.getByRole('alert').first().waitFor();
    await planning.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert');
    await check(planning, 'item-new');
    await menu(planning).getByRole('link', { name: 'テンプレート' }).click();
    await planning.getByRole('heading', { name: 'テンプレートの作成' }).waitFor();
    await check(planning, 'templates');
    // A code already taken: the API refuses, and the builder lists why.
    await planning.getByLabel('名称').first().fill('市長公約 月次進捗(複製)');
    await planning.locator('#tpl-code').fill('a11y');
    await planning.getByRole('button', { name: '作成', exact: true }).click();
    await planning
      .getByRole('alert')
      .filter({ hasText: /次の点を直してください/ })
      .waitFor();
    // Focus went to what must be fixed: a field marked invalid, or the list of problems.
    expect(
      await planning.evaluate(
        () => document.activeElement?.getAttribute('aria-invalid') === 'true' || document.activeElement?.getAttribute('role') === 'alert',
      ),
    ).toBe(true);
    await check(planning, 'template-invalid');
    await planning.goto(`${base}/#/templates/${templateId}`);
    await planning.locator('#tpl-layout').waitFor();
    await planning.waitForLoadState('networkidle');
    await check(planning, 'template-editor');
    await menu(planning).getByRole('link', { name: '組織' }).click();
    await planning.getByText('こども支援課').first().waitFor();
    await check(planning, 'organisation');
    await menu(planning).getByRole('link', { name: '利用者' }).click();
    await planning.getByText('chief-a').first().waitFor();
    await check(planning, 'users');
    await menu(planning).getByRole('link', { name: '代理設定' }).click();
    await planning.getByRole('heading', { level: 1, name: /代理設定/ }).waitFor();
    await planning.waitForLoadState('networkidle');
    await check(planning, 'delegations');
    await menu(planning).getByRole('link', { name: '人事異動・機構改革' }).click();
    await planning.getByRole('heading', { level: 1, name: '人事異動・機構改革' }).waitFor();
    await planning.waitForLoadState('networkidle');
    await check(planning, 'transfers');
    await menu(planning).getByRole('link', { name: '文書管理' }).click();
    await planning.getByRole('heading', { level: 1, name: '文書管理' }).waitFor();
    await planning.waitForLoadState('networkidle');
    await check(planning, 'records');

    expect([...results.keys()].sort()).toEqual(WALKED.map((p) => p.id).sort());
    const failing = Object.fromEntries([...results].filter(([, v]) => v.length > 0));
    expect(failing).toEqual({});
  }, 240_000);

  /** Presses Tab until the focused element matches; fails after `max` presses. */
  async function tabTo(page: Page, selector: string, max = 80) {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((sel) => !!document.activeElement?.matches(sel), selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return { id: el?.id ?? '', value: el?.value ?? '', invalid: el?.getAttribute('aria-invalid'), describedBy: el?.getAttribute('aria-describedby') ?? '' };
    });

  it('completes an entry with the keyboard alone: sign in, open it from 自課のエントリー, rate with the arrows, a refused submit focuses the field, submit', async () => {
    const page = await open();
    await page.goto(`${base}/#/login`);
    // ログインID has the focus on arrival.
    await page.getByLabel('ログインID').waitFor();
    await page.keyboard.type('chief-b');
    await page.keyboard.press('Tab');
    await page.keyboard.type('password');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '自課のエントリー' }).waitFor();
    await page.getByRole('link', { name: '18歳までの医療費完全無料化' }).waitFor();
    expect(await page.title()).toBe('自課のエントリー | 評価サイクル');

    await tabTo(page, `a[href="#/entries/${keyboardId}"]`);
    await page.keyboard.press('Enter');
    await page.locator('#field-progress').waitFor();
    // The new page's main region has the focus, so Tab continues from the top of its content.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // The rating is one radio group: Tab enters it, Space chooses, the arrows move the choice.
    await tabTo(page, 'input[name="rating"]');
    expect((await focused(page)).value).toBe('☆');
    // The focus is visible: the radio itself is hidden, so its drawn button carries the outline.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!.closest('label')!).outlineStyle)).toBe('solid');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await screenshot(page, 'a11y-keyboard-rating-focus');
    expect((await focused(page)).value).toBe('○');
    expect(await page.getByRole('radio', { name: /○/ }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: /☆/ }).isChecked()).toBe(false);
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('field-progress');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');

    // Submitting without the required progress text: the error is shown and focus is on the field.
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.locator('#error-progress').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'field-progress');
    const atError = await focused(page);
    expect(atError.invalid).toBe('true');
    expect(atError.describedBy.split(' ')).toContain('error-progress');
    await screenshot(page, 'a11y-keyboard-error-focus');

    await page.keyboard.type('保育幼稚園課の分は条例改正案を12月議会に提出した');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByText('提出しました。').waitFor();
    await screenshot(page, 'a11y-keyboard-submitted');
    const [row] = await t.db.query(`SELECT state, rating, progress FROM entries WHERE id = $1`, [keyboardId]);
    expect(row).toMatchObject({ state: 'submitted', rating: '○', progress: '保育幼稚園課の分は条例改正案を12月議会に提出した' });
  }, 60_000);

  it('moves between the cycle dashboard tabs with the arrow keys (the tab pattern)', async () => {
    const page = await open();
    await signInAt(page, 'planning');
    await page.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    await page.goto(`${base}/#/cycles/${cycleId}`);
    await page.getByRole('heading', { name: '全体' }).waitFor();
    await tabTo(page, '[role="tab"]');
    expect((await focused(page)).id).toBe('tab-completeness');
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).id).toBe('tab-summary');
    await page.getByRole('heading', { name: /評価別の件数/ }).waitFor();
    expect(await page.getByRole('tab', { name: '集計' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    expect((await focused(page)).id).toBe('tab-reminders');
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).id).toBe('tab-completeness');
    // One Tab stop for the list: the next Tab leaves it for the panel.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tabpanel');
  }, 60_000);

  it('reflows at 320 CSS pixels (WCAG 1.4.10): no page scrolls sideways, only wide tables inside their own scroll box', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/#/login`);
    const overflow: Record<string, number> = {};
    const measure = async (name: string) => {
      await page.waitForTimeout(150);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 320) overflow[name] = width;
      if (width > 320 && process.env.A11Y_DEBUG)
        console.log(
          name,
          await page.evaluate(() =>
            Array.from(document.querySelectorAll('body *'))
              .filter((e) => e.getBoundingClientRect().right > 321)
              .slice(0, 8)
              .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
          ),
        );
    };
    await page.getByLabel('ログインID').waitFor();
    await measure('login');
    await signInAt(page, 'planning');
    await page.getByRole('heading', { name: 'サイクル管理' }).waitFor();
    await measure('cycles');
    for (const [name, path, ready] of [
      ['cycle', `/cycles/${cycleId}`, '全体'],
      ['inbox', '/inbox', '承認待ち'],
      ['matrix', '/matrix', '進捗一覧'],
      ['glossary', '/glossary', '用語集'],
      ['entry', `/entries/${draftId}`, '小・中学校の給食費無料化'],
    ] as const) {
      await page.goto(`${base}/#${path}`);
      await page
        .getByRole('heading', { name: new RegExp(ready) })
        .first()
        .waitFor();
      await measure(name);
    }
    await screenshot(page, 'a11y-reflow-320');
    expect(overflow).toEqual({});
  }, 60_000);
});
