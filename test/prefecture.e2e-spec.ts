import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { PrefectureWorld } from './utils/prefecture-fixture';
import type { TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

/**
 * A prefecture over its municipalities (TENANCY=multi, docs/tenancy.md "Prefecture"): 埼玉県
 * distributes a shared template, 入間市 and 所沢市 adopt and publish it, 千代田区 (outside
 * 埼玉県) publishes a template of the same code. The prefecture's user compares the two and sees
 * nothing of the third, may write nothing, and PostgreSQL itself lets its tenant read their
 * publications and nothing else of theirs; a municipality reads nothing of its sibling or of
 * the prefecture but the definitions distributed to it.
 */
describe('prefecture: shared templates, the comparison of its municipalities, read only', () => {
  let t: TestApp;
  let w: PrefectureWorld;
  let owner: Client;
  let app: Client;
  const SECRET = { draft: '入間市の下書き-SECRET-DRAFT', submitted: '所沢市の提出中-SECRET-SUBMITTED', returned: '差戻しコメント-SECRET-RETURN' };
  const CODE = 'sougou-half';
  const http = (...args: Parameters<PrefectureWorld['http']>) => w.http(...args);

  beforeAll(async () => {
    ({ t, w } = await PrefectureWorld.start());
    owner = await adminClient(t.config, t.config.DB_NAME);
    app = new Client({ host: t.config.DB_HOST, port: t.config.DB_PORT, user: t.config.DB_USER, password: t.config.DB_PASSWORD, database: t.config.DB_NAME });
    await app.connect();
  }, 120_000);
  afterAll(async () => {
    await app?.end();
    await owner?.end();
    await t?.close();
  });

  it('the prefecture publishes a shared template; each of its municipalities adopts its own copy with its own route, one outside it sees none', async () => {
    const iruma = await w.municipality(w.IRUMA, '112259', '入間市');
    const toko = await w.municipality(w.tokorozawa, '112089', '所沢市');
    const chiyo = await w.municipality(w.chiyoda, '131016', '千代田区');

    const definition = { code: CODE, name: '総合計画 半期評価', periodType: 'half_year', scaleCode: 'abcd' };
    // Only a prefecture (a tenant with municipalities) distributes; its read-only user may not.
    const refused = await http('post', '/api/shared-templates', 'pref', '110001').send(definition).expect(403);
    expect(refused.body.message).toContain('都道府県担当の利用者は閲覧のみです');
    await http('post', '/api/shared-templates', '131016-planning', '131016').send(definition).expect(422);
    const shared = (await http('post', '/api/shared-templates', 'pref-planning', '110001').send(definition).expect(201)).body;
    expect(shared).toMatchObject({ code: CODE, version: 1, scale: { code: 'abcd' } });

    const listed = (await http('get', '/api/shared-templates', '112259-planning', '112259').expect(200)).body;
    expect(listed.map((s: { code: string; adopted: boolean }) => [s.code, s.adopted])).toEqual([[CODE, false]]);
    expect((await http('get', '/api/shared-templates', '131016-planning', '131016').expect(200)).body).toEqual([]);
    expect((await http('get', '/api/shared-templates', 'pref', '110001').expect(200)).body.map((s: { code: string }) => s.code)).toEqual([CODE]);

    // 入間市 sets its own route (課長 only); 所沢市 keeps the standard one (課長 → 評価者 → 企画).
    const irumaTpl = (
      await http('post', `/api/shared-templates/${shared.id}/adopt`, '112259-planning', '112259')
        .send({ planId: iruma.planId, approvalRoute: [{ kind: 'section_chief', label: '課長' }] })
        .expect(201)
    ).body;
    expect(irumaTpl).toMatchObject({
      code: CODE,
      name: '総合計画 半期評価',
      scaleCode: 'abcd',
      planId: iruma.planId,
      approvalRoute: [{ kind: 'section_chief', label: '課長' }],
    });
    const tokoTpl = (await http('post', `/api/shared-templates/${shared.id}/adopt`, '112089-planning', '112089').send({ planId: toko.planId }).expect(201))
      .body;
    expect(tokoTpl.approvalRoute.map((s: { kind: string }) => s.kind)).toEqual(['section_chief', 'evaluator', 'planning']);
    await http('post', `/api/shared-templates/${shared.id}/adopt`, '112259-planning', '112259').send({ planId: iruma.planId }).expect(409);
    // 千代田区 cannot see it, so cannot adopt it; it makes a template of the same code of its own.
    await http('post', `/api/shared-templates/${shared.id}/adopt`, '131016-planning', '131016').send({ planId: chiyo.planId }).expect(404);
    const chiyoTpl = (
      await http('post', '/api/templates', '131016-planning', '131016')
        .send({ ...definition, planId: chiyo.planId })
        .expect(201)
    ).body;
    expect((await http('get', '/api/shared-templates', '112259-planning', '112259').expect(200)).body[0].adopted).toBe(true);

    await w.publish(iruma, irumaTpl.id, [
      ['accepted', 'A', '入間市: 完了した'],
      ['accepted', 'B', '入間市: 実施中'],
      ['submitted', 'A', SECRET.submitted],
      ['draft', 'C', SECRET.draft],
    ]);
    await w.publish(
      toko,
      tokoTpl.id,
      [
        ['accepted', 'A', '所沢市: 完了'],
        ['accepted', 'A', '所沢市: 完了2'],
        ['accepted', 'C', '所沢市: 着手'],
        ['returned', 'B', SECRET.returned],
      ],
      { returnComment: SECRET.returned },
    );
    await w.publish(chiyo, chiyoTpl.id, [
      ['accepted', 'A', '千代田区: 完了'],
      ['accepted', 'A', '千代田区: 完了'],
      ['accepted', 'A', '千代田区: 完了'],
      ['accepted', 'A', '千代田区: 完了'],
    ]);
  }, 120_000);

  it('the prefecture user compares its two municipalities for the shared code and the period, counts only, nothing of the third', async () => {
    const res = await http('get', `/api/prefecture/comparison?code=${CODE}`, 'pref', '110001').expect(200);
    const c = res.body;
    expect(c.period).toEqual({ key: '2024-H1', label: '令和6年度 上半期', fiscalYear: 2024 });
    expect(c.periods.map((p: { key: string }) => p.key)).toEqual(['2024-H1']);
    expect(c.scale.options.map((o: { value: string }) => o.value)).toEqual(['A', 'B', 'C', 'D']);
    const rows = c.municipalities.map((m: Record<string, any>) => ({
      name: m.name,
      published: m.published,
      reported: m.reported,
      total: m.total,
      percent: m.reportedPercent,
      ratings: Object.fromEntries(m.ratings.map((r: { value: string; count: number }) => [r.value, r.count])),
    }));
    expect(rows).toEqual([
      { name: '所沢市', published: true, reported: 3, total: 4, percent: 75, ratings: { A: 2, B: 0, C: 1, D: 0 } },
      { name: '入間市', published: true, reported: 2, total: 4, percent: 50, ratings: { A: 1, B: 1, C: 0, D: 0 } },
    ]);
    expect(res.text).not.toContain('千代田区');
    for (const secret of Object.values(SECRET)) expect(res.text).not.toContain(secret);
    // A period nobody published: every municipality listed as not published.
    const none = (await http('get', `/api/prefecture/comparison?code=${CODE}&period=2024-H2`, 'pref', '110001').expect(200)).body;
    expect(none.period).toBeNull();
    // A municipality's planning division has no comparison; a bad code is a 400 naming it.
    await http('get', `/api/prefecture/comparison?code=${CODE}`, '112259-planning', '112259').expect(403);
    const bad = await http('get', '/api/prefecture/comparison?code=X!', 'pref', '110001').expect(400);
    expect(JSON.stringify(bad.body)).toContain('code');
  });

  it('refuses the prefecture user every write endpoint of the API with 403 in Japanese, and nothing is written', async () => {
    const document = JSON.parse(readFileSync(join(process.cwd(), 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const writes = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => !['get', 'head', 'parameters'].includes(m))
        .map((m) => ({ method: m as 'post' | 'put' | 'patch' | 'delete', path: path.replace(/\{[^}]+\}/g, '1') })),
    );
    // Its own sign-in (password, sign-out, sessions) stays its own; everything else is a write of the municipality's or prefecture's data.
    const checked = writes.filter((w) => !w.path.startsWith('/api/auth/'));
    expect(checked.length).toBeGreaterThan(50);
    const audit = async () => (await owner.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
    const before = await audit();
    const answers: string[] = [];
    for (const op of checked) {
      const res = await http(op.method, op.path, 'pref', '110001').send({});
      answers.push(`${op.method.toUpperCase()} ${op.path} ${res.status} ${res.body?.message ?? ''}`);
    }
    expect(answers.filter((a) => !/ 403 都道府県担当の利用者は閲覧のみです/.test(a))).toEqual([]);
    expect(await audit()).toBe(before);
    // Reading its own account and signing out still work.
    await http('get', '/api/auth/me', 'pref', '110001').expect(200);
  });

  const asTenant = (id: number) => app.query(`SELECT set_config('hyoka.tenant_id', $1, false)`, [String(id)]);
  const count = async (table: string, where = 'true') => (await app.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)).rows[0].n as number;

  it('in SQL as the application, the prefecture tenant reads its municipalities’ publications and no entry, draft or other row of theirs', async () => {
    await asTenant(w.pref);
    const published = (await app.query(`SELECT DISTINCT tenant_id FROM published_reports ORDER BY 1`)).rows.map((r) => r.tenant_id);
    expect(published).toEqual([w.IRUMA, w.tokorozawa].sort((a, b) => a - b));
    for (const table of [
      'entries',
      'entry_versions',
      'cycles',
      'cycle_templates',
      'plan_items',
      'published_heads',
      'published_item_rows',
      'sections',
      'audit_log',
    ]) {
      expect([table, await count(table, `tenant_id <> ${w.pref}`)]).toEqual([table, 0]);
    }
    expect((await app.query(`SELECT name FROM tenants ORDER BY code`)).rows.map((r) => r.name)).toEqual(['埼玉県', '所沢市', '入間市']);
    // Read only: it can neither add to nor change nor remove what they published.
    await expect(
      app.query(`INSERT INTO published_reports (tenant_id, cycle_id, version, published_at, html, csv, summary) VALUES ($1, $2, 9, now(), '', '', '{}')`, [
        w.IRUMA,
        w.cycles['112259'],
      ]),
    ).rejects.toThrow(/row-level security/);
    expect((await app.query(`DELETE FROM published_reports WHERE tenant_id = $1`, [w.IRUMA])).rowCount).toBe(0);
    expect((await app.query(`UPDATE tenants SET name = 'x' WHERE id = $1`, [w.IRUMA])).rowCount).toBe(0);
    // What the publication holds is what was accepted: no draft, submitted or returned text.
    const text = JSON.stringify((await app.query(`SELECT snapshot, html, csv FROM published_reports`)).rows);
    expect(text).toContain('入間市: 完了した');
    for (const secret of Object.values(SECRET)) expect(text).not.toContain(secret);
  });

  it('in SQL as the application, a municipality reads nothing of its sibling or of the prefecture but the shared definitions, and may not change those', async () => {
    await asTenant(w.IRUMA);
    expect(await count('published_reports', `tenant_id <> ${w.IRUMA}`)).toBe(0);
    expect(await count('users', `tenant_id <> ${w.IRUMA}`)).toBe(0);
    expect((await app.query(`SELECT name FROM tenants`)).rows).toEqual([{ name: '入間市' }]);
    expect((await app.query(`SELECT tenant_id, code FROM shared_templates`)).rows).toEqual([{ tenant_id: w.pref, code: CODE }]);
    expect((await app.query(`UPDATE shared_templates SET name = 'x'`)).rowCount).toBe(0);
    expect((await app.query(`DELETE FROM shared_templates`)).rowCount).toBe(0);
    await expect(
      app.query(
        `INSERT INTO shared_templates (tenant_id, code, name, period_type, scale, fields, layout, published_by) VALUES ($1, 'x', 'x', 'half_year', '{}', '[]', 'list', 1)`,
        [w.pref],
      ),
    ).rejects.toThrow(/row-level security/);
    await asTenant(w.chiyoda);
    expect(await count('shared_templates')).toBe(0);
    expect(await count('published_reports', `tenant_id <> ${w.chiyoda}`)).toBe(0);
    await asTenant(w.pref);
    expect(await count('published_reports', `tenant_id = ${w.chiyoda}`)).toBe(0);
  });

  it('the prefecture’s public index lists its municipalities with links to their public sites and latest publications; its own top page lists only its own', async () => {
    const index = await t.http().get('/public/municipalities').set('X-Tenant', '110001').expect(200);
    expect(index.text).toContain('<html lang="ja">');
    expect(index.text).toContain('埼玉県内の市区町村');
    expect(index.text.indexOf('所沢市')).toBeLessThan(index.text.indexOf('入間市'));
    expect(index.text).toContain('href="https://hyoka.city.tokorozawa.example.jp/public"');
    expect(index.text).toContain(`href="https://hyoka.city.iruma.example.jp/public/cycles/${w.cycles['112259']}"`);
    expect(index.text).toContain(`href="https://hyoka.city.tokorozawa.example.jp/public/cycles/${w.cycles['112089']}"`);
    expect(index.text).toContain('令和6年度 上半期');
    expect(index.text).toContain('入間市総合計画');
    expect(index.text).not.toContain('千代田区');
    for (const secret of Object.values(SECRET)) expect(index.text).not.toContain(secret);

    const top = await t.http().get('/public').set('X-Tenant', '110001').expect(200);
    expect(top.text).toContain('href="/public/municipalities"');
    expect(top.text).not.toContain('入間市総合計画');
    // A municipality has no such page; its own top page is its own.
    await t.http().get('/public/municipalities').set('X-Tenant', '112259').expect(404);
    const own = await t.http().get('/public').set('X-Tenant', '112259').expect(200);
    expect(own.text).toContain('入間市総合計画');
    expect(own.text).not.toContain('所沢市総合計画');
    expect(own.text).not.toContain('/public/municipalities');
  });
});
