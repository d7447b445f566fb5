import { parse } from 'csv-parse/sync';
import { SaxesParser } from 'saxes';
import type { Response } from 'supertest';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

/** Collects a response body as bytes whatever its content type. */
function binary(res: Response & { setEncoding?: unknown }, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const ATOM = 'http://www.w3.org/2005/Atom';

interface AtomDoc {
  root: { local: string; uri: string };
  feed: Record<string, string>;
  entries: Record<string, string>[];
}

/** Parses an Atom document strictly (well-formed XML with namespaces, or it throws): the feed's and each entry's child elements in the Atom namespace. */
function parseAtom(xml: string): AtomDoc {
  const parser = new SaxesParser({ xmlns: true });
  const stack: { local: string; uri: string }[] = [];
  let root: AtomDoc['root'] | undefined;
  const feed: Record<string, string> = {};
  const entries: Record<string, string>[] = [];
  let text = '';
  parser.on('opentag', (tag) => {
    const el = { local: tag.local, uri: tag.uri };
    if (!root) root = el;
    if (el.uri === ATOM && el.local === 'entry') entries.push({});
    stack.push(el);
    text = '';
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', () => {
    const el = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (el.uri !== ATOM || !parent) return;
    if (parent.local === 'feed' && stack.length === 1) feed[el.local] ??= text;
    if (parent.local === 'entry') entries[entries.length - 1][el.local] ??= text;
  });
  parser.write(xml).close();
  return { root: root!, feed, entries };
}

/** Strings that were never published: each must be absent from every public answer. */
const SECRETS = {
  draft: 'DRAFT-下書きの本文-SECRET',
  returnedText: 'RETURNED-差戻し前の本文-SECRET',
  returnComment: 'RETURN-COMMENT-差戻しの理由-SECRET',
  fieldComment: 'FIELD-COMMENT-SECRET',
  author: '担当 秘密子',
  chief: '課長 秘密郎',
  evaluator: '評価 秘密美',
  planning: '企画 秘密太',
  acceptedPrivate: 'NOT-PUBLISHED-REASON-SECRET',
};

describe('public site (/public): index, matrix, cycle, item pages, feeds, open data, from frozen publications only', () => {
  let t: TestApp;
  let f: CycleFixture;
  let templateId: number;
  let h1: number;
  let h2: number;
  const planning = () => ({ Authorization: `Bearer ${f.users.planning.token}` });
  const act = (id: number, action: string, reason?: string) =>
    t
      .http()
      .post(`/api/cycles/${id}/actions`)
      .set(planning())
      .send(reason ? { action, reason } : { action })
      .expect(200);

  async function openCycle(periodKey: string): Promise<number> {
    const cycle = (await t.http().post('/api/cycles').set(planning()).send({ templateId, periodKey }).expect(201)).body;
    await act(cycle.id, 'open');
    return cycle.id;
  }

  async function entry(cycleId: number, itemId: number, sectionId: number): Promise<number> {
    const [row] = await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, itemId, sectionId]);
    return row.id;
  }

  async function setEntry(id: number, state: string, v: { rating?: string | null; progress?: string; reason?: string | null; returnComment?: string } = {}) {
    await t.db.query(
      `UPDATE entries SET state = $2, rating = $3, progress = $4, reason = $5, return_comment = $6,
              return_field_comments = CASE WHEN $6::text IS NULL THEN NULL ELSE jsonb_build_object('progress', $7::text) END,
              author_user_id = $8, last_edited_by = $8,
              submitted_at = CASE WHEN $2 IN ('submitted','in_review','accepted') THEN now() END,
              accepted_at = CASE WHEN $2 = 'accepted' THEN now() END
        WHERE id = $1`,
      [id, state, v.rating ?? null, v.progress ?? null, v.reason ?? null, v.returnComment ?? null, SECRETS.fieldComment, f.users.staffA.id],
    );
    if (state === 'accepted') {
      for (const user of [f.users.chiefA.id, f.users.evaluator.id, f.users.planning.id]) {
        await build(t).audit({ actorUserId: user, action: 'entry.approve', subjectType: 'entry', subjectId: String(id), comment: SECRETS.acceptedPrivate });
      }
    }
  }

  beforeAll(async () => {
    t = await createTestApp({ MUNICIPALITY_NAME: '公表テスト市', MUNICIPALITY_CODE: '112259' });
    f = await createCycleFixture(t);
    for (const [id, name] of [
      [f.users.staffA.id, SECRETS.author],
      [f.users.chiefA.id, SECRETS.chief],
      [f.users.evaluator.id, SECRETS.evaluator],
      [f.users.planning.id, SECRETS.planning],
    ] as const) {
      await t.db.query(`UPDATE users SET name = $2 WHERE id = $1`, [id, name]);
    }
    // Item 2 is evaluated by a named evaluator; items 1–3 sit in a chapter; items 4-①② have a parent heading and content.
    await t.db.query(`UPDATE plan_items SET chapter = '第1章 子育て', evaluator_user_id = $2 WHERE plan_id = $1`, [f.planId, f.users.evaluator.id]);
    for (const sub of ['①', '②']) {
      await build(t).item({
        planId: f.planId,
        number: 4,
        subNumber: sub,
        chapter: '第2章 まちづくり',
        category: '【デジタル】来なくても済む市役所',
        title: `公約4${sub}`,
        content: `内容4${sub}: オンライン申請を広げる`,
        sections: [f.sections.c],
      });
    }
    await t.db.query(`UPDATE plan_item_kpis SET targets = '{"2024": 10, "2025": 12}' WHERE item_id = $1`, [f.items[1]]);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'pledge-h', name: '市長公約 半期進捗', planId: f.planId, periodType: 'half_year', scaleCode: 'abcd' })
      .expect(201);
    templateId = tpl.body.id;
  });
  afterAll(() => t.close());

  it('answers /public with a Japanese index, and an unknown public address with a Japanese 404 page', async () => {
    const empty = await t.http().get('/public').expect(200);
    expect(empty.headers['content-type']).toContain('text/html');
    expect(empty.text).toContain('<html lang="ja">');
    expect(empty.text).toContain('公表テスト市');
    expect(empty.text).toContain('公表された計画はまだありません');
    for (const path of ['/public/nothing', '/public/plans/999', '/public/plans/abc', '/public/items/999', '/public/cycles/999', '/public/a/b/c.html']) {
      const res = await t.http().get(path).expect(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('ページが見つかりません');
      expect(res.text).not.toContain('Cannot GET');
    }
  });

  it('publishes two half-years; the index lists them, and a cycle page counts per rating and says how many were not reported', async () => {
    h1 = await openCycle('2024-H1');
    const [a1, b1, i2, i3] = [
      await entry(h1, f.items[0], f.sections.a),
      await entry(h1, f.items[0], f.sections.b),
      await entry(h1, f.items[1], f.sections.a),
      await entry(h1, f.items[2], f.sections.c),
    ];
    await setEntry(a1, 'accepted', { rating: 'B', progress: '上半期: 条例改正の準備' });
    await setEntry(b1, 'draft', { rating: 'A', progress: SECRETS.draft });
    await setEntry(i2, 'returned', { rating: 'C', progress: SECRETS.returnedText, returnComment: SECRETS.returnComment });
    await setEntry(i3, 'accepted', { rating: 'C', progress: '中核市移行の検討を開始', reason: '調整中' });
    await t.db.query(`UPDATE entries SET kpi_actuals = $2 WHERE id = $1`, [i2, JSON.stringify([{ kpiId: await kpiId(), actual: 99 }])]);
    await act(h1, 'force_close', '期限到来');
    await act(h1, 'publish');

    const page = await t.http().get(`/public/cycles/${h1}`).expect(200);
    expect(page.text).toContain('第1版 公表日: 令和');
    expect(page.text).toContain('6項目中4項目は未報告です(報告済み2項目)');
    expect(page.text).toMatch(/<th scope="row">B 実施中<\/th><td class="num">1<\/td>/);
    expect(page.text).toMatch(/<th scope="row">C 着手<\/th><td class="num">1<\/td>/);
    expect(page.text).toMatch(/<th scope="row">未報告<\/th><td class="num">4<\/td>/);
    expect(page.text).toContain('上半期: 条例改正の準備');
    expect(page.text).toContain('第2章 まちづくり');
    expect(page.text).toContain('4:【デジタル】来なくても済む市役所');
    expect(page.text).toContain('内容4①: オンライン申請を広げる');

    h2 = await openCycle('2024-H2');
    await setEntry(await entry(h2, f.items[0], f.sections.a), 'accepted', { rating: 'A', progress: '下半期: 条例を施行' });
    const i2b = await entry(h2, f.items[1], f.sections.a);
    await setEntry(i2b, 'accepted', { rating: 'B', progress: '給食費の無償化を実施' });
    await t.db.query(`UPDATE entries SET kpi_actuals = $2 WHERE id = $1`, [i2b, JSON.stringify([{ kpiId: await kpiId(), actual: 8 }])]);
    await act(h2, 'force_close', '期限到来');
    await act(h2, 'publish');

    const index = await t.http().get('/public').expect(200);
    expect(index.text).toContain('市長公約');
    expect(index.text).toContain('令和6年度 上半期');
    expect(index.text).toContain('令和6年度 下半期');
    expect(index.text).toContain(`href="/public/plans/${f.planId}"`);
    expect(index.text).toContain(`href="/public/cycles/${h1}"`);
    expect(index.text).toContain('/public/opendata');
    expect(index.text).toContain('/public/accessibility');
  });

  async function kpiId(): Promise<number> {
    const [k] = await t.db.query(`SELECT id FROM plan_item_kpis WHERE item_id = $1`, [f.items[1]]);
    return k.id;
  }

  it('shows the plan as items × periods under a fiscal-year header, with chapter and parent rows, symbols with their words', async () => {
    const res = await t.http().get(`/public/plans/${f.planId}`).expect(200);
    expect(res.text).toContain('<th scope="colgroup" colspan="2">令和6年度</th>');
    expect(res.text.indexOf('>上半期<span class="vh">')).toBeLessThan(res.text.indexOf('>下半期<span class="vh">'));
    expect(res.text).toContain('<th class="chapter" scope="colgroup"');
    expect(res.text).toContain('4:【デジタル】来なくても済む市役所');
    expect(res.text).toContain('<span class="sym">B</span><span class="lbl">実施中</span>');
    expect(res.text).toContain('<span class="sym">A</span><span class="lbl">完了</span>');
    expect(res.text).toContain('未報告');
    expect(res.text).toContain('内容4②: オンライン申請を広げる');
  });

  it('shows an item with its rating history, the published text of each period, its KPI over the years and its sections', async () => {
    const res = await t.http().get(`/public/items/${f.items[1]}`).expect(200);
    expect(res.text).toContain('小・中学校の給食費無料化');
    expect(res.text).toContain('給食費の無償化を実施');
    expect(res.text).toContain('この期間の報告は公表されていません(未報告)');
    expect(res.text).toContain('<svg role="img"');
    expect(res.text).toContain('実施園数');
    expect(res.text).toMatch(/<th scope="row">令和6年度<\/th><td class="num">10園<\/td><td class="num">8園<\/td><td class="num">80.0%<\/td>/);
    expect(res.text).toContain('こども支援課');
    // Its texts fit one page: no page 2, and a page that is not a number is no page either.
    expect(res.text).not.toContain('より古い期間へ');
    for (const page of ['2', '0', 'abc']) await t.http().get(`/public/items/${f.items[1]}?page=${page}`).expect(404);
    expect((await t.http().get(`/public/items/${f.items[1]}?page=1`).expect(200)).text).toContain('給食費の無償化を実施');
  });

  it('offers Atom feeds per plan and per item that validate, and gain an entry when a rating changes on republication', async () => {
    const planFeed = async () => {
      const res = await t.http().get(`/public/plans/${f.planId}/feed.atom`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toContain('application/atom+xml');
      return parseAtom((res.body as Buffer).toString('utf8'));
    };
    const itemFeed = async () =>
      parseAtom((await t.http().get(`/public/items/${f.items[0]}/feed.atom`).buffer(true).parse(binary).expect(200)).body.toString('utf8'));
    const before = await planFeed();
    expect(before.root).toEqual({ local: 'feed', uri: ATOM });
    for (const key of ['id', 'title', 'updated']) expect(before.feed[key]).toBeTruthy();
    expect(before.entries.length).toBeGreaterThanOrEqual(3);
    for (const e of before.entries) {
      for (const key of ['id', 'title', 'updated']) expect(e[key]).toBeTruthy();
      expect(new Date(e.updated).toString()).not.toBe('Invalid Date');
    }
    expect(new Set(before.entries.map((e) => e.id)).size).toBe(before.entries.length);
    // Two publications and one change (item 1, こども支援課: B in the first half, A in the second).
    expect(before.entries.filter((e) => e.title.startsWith('公表: '))).toHaveLength(2);
    expect(before.entries.filter((e) => e.title.startsWith('評価の変更: '))).toEqual([
      expect.objectContaining({ title: '評価の変更: 1 18歳までの医療費完全無料化(こども支援課) B(実施中) → A(完了)' }),
    ]);
    const itemBefore = await itemFeed();

    // A correction: the first half is reopened, item 3's rating changes from C to B, and it is published again (第2版).
    await act(h1, 'reopen', '評価の訂正');
    await t.db.query(`UPDATE entries SET rating = 'B' WHERE cycle_id = $1 AND item_id = $2`, [h1, f.items[2]]);
    await t.db.query(`UPDATE entries SET rating = 'A' WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [h1, f.items[0], f.sections.a]);
    // While reopened (and edited), the public site still shows the first version.
    const reopened = await t.http().get(`/public/cycles/${h1}`).expect(200);
    expect(reopened.text).toContain('第1版 公表日: 令和');
    expect(reopened.text).toMatch(/<th scope="row">C 着手<\/th><td class="num">1<\/td>/);
    expect((await planFeed()).entries).toHaveLength(before.entries.length);
    await act(h1, 'force_close', '訂正済み');
    await act(h1, 'publish');

    const after = await planFeed();
    const added = after.entries.filter((e) => !before.entries.some((b) => b.id === e.id));
    expect(added.map((e) => e.title).sort()).toEqual(
      [
        '再公表: 市長公約 令和6年度 上半期(第2版)',
        '評価の変更: 1 18歳までの医療費完全無料化(こども支援課) B(実施中) → A(完了)',
        '評価の変更: 3 中核市に移行(経営企画課) C(着手) → B(実施中)',
      ].sort(),
    );
    // The item's own feed gains the republication and its change.
    const itemAfter = await itemFeed();
    expect(itemAfter.entries.length).toBe(itemBefore.entries.length + 2);
    expect(itemAfter.entries[0].title).toMatch(/^(再公表|評価の変更): /);
    expect(itemAfter.feed.updated >= itemBefore.feed.updated).toBe(true);
    // The cycle page says which version is online and when each was published.
    const page = await t.http().get(`/public/cycles/${h1}`).expect(200);
    expect(page.text).toContain('第2版 公表日: 令和');
    expect(page.text).toContain('公表の履歴(第1版 令和');
  });

  it('offers every published cycle as open data (CSV with BOM, JSON) that matches the published summary, with a field dictionary and a licence', async () => {
    for (const cycleId of [h1, h2]) {
      const summary = (await t.http().get(`/public/cycles/${cycleId}/summary.json`).expect(200)).body;
      const res = await t.http().get(`/public/cycles/${cycleId}/opendata.csv`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const bytes = res.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows]: string[][] = parse(bytes.toString('utf8').slice(1), { record_delimiter: '\r\n' });
      expect(header.slice(0, 3)).toEqual(['全国地方公共団体コード', 'ID', '地方公共団体名']);
      const col = (name: string) => header.indexOf(name);
      expect(rows.length).toBe(6);
      for (const r of rows) {
        expect(r[col('全国地方公共団体コード')]).toBe('112259');
        expect(r[col('公表日')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(r[col('公表日_和暦')]).toMatch(/^令和\d+年\d+月\d+日$/);
        expect(r[col('期間開始日')]).toMatch(/^2024-(04|10)-01$/);
        expect(r[col('年度_和暦')]).toBe('令和6年度');
      }
      expect(new Set(rows.map((r) => r[col('ID')])).size).toBe(rows.length);
      const reported = rows.filter((r) => r[col('報告状況')] === '報告済み');
      expect(reported.length).toBe(summary.total);
      for (const rating of summary.ratings) expect(reported.filter((r) => r[col('評価')] === rating.value).length).toBe(rating.count);
      expect(rows.filter((r) => r[col('報告状況')] === '未報告').every((r) => r[col('評価')] === '' && r[col('進捗状況')] === '')).toBe(true);

      const json = (await t.http().get(`/public/cycles/${cycleId}/opendata.json`).expect(200)).body;
      expect(json.全国地方公共団体コード).toBe('112259');
      expect(json.ライセンス.名称).toContain('CC BY 4.0');
      expect(json.columns).toEqual(header);
      expect(json.records).toHaveLength(rows.length);
      const jsonReported = json.records.filter((r: Record<string, string>) => r.報告状況 === '報告済み');
      expect(jsonReported).toHaveLength(summary.total);
      for (const rating of summary.ratings) expect(jsonReported.filter((r: Record<string, string>) => r.評価 === rating.value)).toHaveLength(rating.count);
    }
    const catalog = (await t.http().get('/public/opendata/catalog.json').expect(200)).body;
    expect(catalog.全国地方公共団体コード).toBe('112259');
    expect(
      catalog.datasets.map((d: { サイクルID: number; CSV: string }) => [d.サイクルID, d.CSV.endsWith(`/public/cycles/${d.サイクルID}/opendata.csv`)]),
    ).toEqual(
      expect.arrayContaining([
        [h1, true],
        [h2, true],
      ]),
    );
    const dictionary = await t.http().get('/public/opendata').expect(200);
    for (const text of [
      '全国地方公共団体コード',
      '公表日_和暦',
      '報告状況',
      'CC BY 4.0',
      'UTF-8(BOM付き)',
      `/public/cycles/${h1}/opendata.csv`,
      `/public/cycles/${h2}/opendata.json`,
    ]) {
      expect(dictionary.text).toContain(text);
    }
  });

  it('never shows a draft, a returned text, a return comment or a staff name in any public page, feed or file', async () => {
    // The secrets are in the system (the planning division's internal report shows them), so their absence below means something.
    const internal = (await t.http().get(`/api/cycles/${h1}/export.csv`).set(planning()).buffer(true).parse(binary).expect(200)).body.toString('utf8');
    for (const secret of [SECRETS.draft, SECRETS.returnedText, SECRETS.chief, SECRETS.evaluator, SECRETS.planning]) expect(internal).toContain(secret);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM entries WHERE cycle_id = $1 AND return_comment = $2`, [h1, SECRETS.returnComment]);
    expect(count).toBe(1);
    // Every address the site links to, followed from the index, plus the known files.
    const seen = new Set<string>();
    const queue = ['/public', `/public/cycles/${h1}/summary.json`, `/public/cycles/${h1}/export.csv`, `/public/cycles/${h1}/report.html`];
    const bodies: string[] = [];
    while (queue.length) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await t.http().get(path).buffer(true).parse(binary);
      expect([path, res.status]).toEqual([path, 200]);
      const text = (res.body as Buffer).toString('utf8');
      bodies.push(text);
      for (const m of text.matchAll(/href="(\/public[^"#]*)"/g)) if (!seen.has(m[1])) queue.push(m[1].replace(/&amp;/g, '&'));
    }
    expect(seen.size).toBeGreaterThan(12);
    for (const p of [`/public/plans/${f.planId}/feed.atom`, `/public/items/${f.items[1]}`, `/public/items/${f.items[1]}/feed.atom`, `/public/cycles/${h2}`])
      expect(seen).toContain(p);
    for (const text of bodies) for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    // The draft's and the returned entry's ratings are not counted either (checked on the page above); the KPI actual of the returned entry is not shown.
    expect(bodies.join('\n')).not.toContain('99園');
  });

  it('sends a cycle published before snapshots existed to its printable report, and a cycle never published to the 404 page', async () => {
    const legacy = await openCycle('2025-H1');
    await t.http().get(`/public/cycles/${legacy}`).expect(404);
    // Published the old way (no publication event, so no frozen snapshot): only the live printable report exists.
    await t.db.query(`UPDATE cycles SET state = 'published', published_at = now() WHERE id = $1`, [legacy]);
    const res = await t.http().get(`/public/cycles/${legacy}`).expect(302);
    expect(res.headers.location).toBe(`/public/cycles/${legacy}/report.html`);
    await t.http().get(`/public/cycles/${legacy}/report.html`).expect(200);
    // It is in no list or feed of the site (they read snapshots only).
    expect((await t.http().get('/public').expect(200)).text).not.toContain(`/public/cycles/${legacy}"`);
  });
});
