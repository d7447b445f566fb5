import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { DIRECTION_OPTIONS, ruleOfConditions, SDGS_OPTIONS, tokyoToday } from '@app/domain';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { launchChromium, SCREENSHOT_DIR } from './utils/browser';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createUser, loginAs } from './utils/factories';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

function binary(res: Response, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** A 事務事業評価 form: custom scale, KPI table, a conditional analysis, choices, department fields. */
const FORM = [
  { key: 'policy', label: '基本方針', type: 'long_text', scope: 'department', required: true },
  { key: 'rating', label: '総合評価', required: true },
  { key: 'kpiActuals', label: '活動指標', required: true },
  {
    key: 'shortfallReason',
    label: '目標値が未達成の理由・分析',
    type: 'long_text',
    required: ruleOfConditions([{ kind: 'kpi_shortfall' }]),
    visible: ruleOfConditions([{ kind: 'kpi_shortfall' }]),
  },
  { key: 'direction', label: '事業の方向性', type: 'single_choice', options: DIRECTION_OPTIONS, required: true },
  { key: 'sdgs', label: 'SDGsの目標', type: 'multi_choice', options: SDGS_OPTIONS, maxSelections: 3 },
  { key: 'progress', label: '取組状況', required: true },
  { key: 'summary', label: '総括', type: 'long_text', scope: 'department' },
];

const SCALE = {
  code: 'eval4',
  name: '事務事業評価4段階',
  options: [
    { value: 'S', symbol: 'S', label: '目標を上回った', ordinal: 3 },
    { value: 'A', symbol: 'A', label: '目標どおり', ordinal: 2 },
    { value: 'B', symbol: 'B', label: 'やや遅れている', ordinal: 1 },
    { value: 'C', symbol: 'C', label: '大幅に遅れている', ordinal: 0 },
  ],
  reasonRequiredFor: ['C'],
};

const KPI_HEADERS = (n: number) => [`指標${n} 名称`, `指標${n} 目標(令和6年度)`, `指標${n} 実績`, `指標${n} 達成率`];
const PUBLIC_HEADERS = [
  '番号',
  '項目',
  '章',
  '内容',
  '所管課',
  '根拠法令',
  '年次計画(令和6年度)',
  '部長名',
  '基本方針',
  '総合評価',
  ...KPI_HEADERS(1),
  ...KPI_HEADERS(2),
  ...KPI_HEADERS(3),
  '目標値が未達成の理由・分析',
  '事業の方向性',
  'SDGsの目標',
  '取組状況',
  '総括',
];
const INTERNAL_HEADERS = [...PUBLIC_HEADERS, '評価者', '承認者', '状態', '提出日', '承認日'];

const POLICY_1 = '子ども、子育て世代、市民の幸福に寄与する施策を推進！';
const SUMMARY_1 = '8つの目標のうち7つを達成しました。\n残る1つは令和7年度も継続して取り組みます。';
const POLICY_2 = '組織の活性化！職員のやりがいの向上！！';
const SUMMARY_2 = '目標はすべて達成できました。';
const SHORTFALL = '周知期間が短く、参加者が目標に届かなかった。計画は素案にとどまった。';
const HIDDEN = '入力されたが表示条件により非表示の分析';

describe("reports read the cycle's form: custom fields in CSV, XLSX, printable report, public page and return mail", () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext | null = null;
  const sink = new SmtpSink();
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const planning = () => auth(f.users.planning.token);
  const today = tokyoToday();
  let dept2: number;
  let sectionD: number;
  let items: number[];
  let kpi: Record<string, number>;
  let tokens: Record<'chiefD' | 'evaluatorItem' | 'headSoumu' | 'deputy', string>;
  let sheetCycle: number;
  let listCycle: number;

  async function openCycle(templateId: number, periodKey: string): Promise<number> {
    const cycle = (await t.http().post('/api/cycles').set(planning()).send({ templateId, periodKey }).expect(201)).body;
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    return cycle.id;
  }

  async function template(code: string, layout: 'sheet' | 'list', planId: number): Promise<number> {
    const res = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code, name: '事務事業評価', planId, periodType: 'fiscal_year', scaleCode: SCALE.code, fields: FORM, layout })
      .expect(201);
    return res.body.id;
  }

  const entryOf = async (cycleId: number, itemId: number) =>
    (await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2`, [cycleId, itemId]))[0] as { id: number; version: number };

  /** Saves a draft (PUT) and submits it, as the section would; returns the submitted version. */
  async function write(cycleId: number, itemId: number, token: string, body: Record<string, unknown>): Promise<{ id: number; version: number }> {
    const e = await entryOf(cycleId, itemId);
    const saved = await t
      .http()
      .put(`/api/entries/${e.id}`)
      .set(auth(token))
      .send({ version: e.version, ...body })
      .expect(200);
    const submitted = await t.http().post(`/api/entries/${e.id}/submit`).set(auth(token)).send({ version: saved.body.version }).expect(200);
    return { id: e.id, version: submitted.body.version };
  }

  async function approve(entry: { id: number; version: number }, token: string) {
    const res = await t.http().post(`/api/entries/${entry.id}/approve`).set(auth(token)).send({ version: entry.version }).expect(200);
    return { id: entry.id, version: res.body.version as number, state: res.body.state as string };
  }

  /** The department fields, entered once per cycle through the API, then the three entries. */
  async function fill(cycleId: number) {
    await t
      .http()
      .put(`/api/cycles/${cycleId}/scope-values/department/${f.departmentId}`)
      .set(auth(f.users.staffA.token))
      .send({ values: { policy: POLICY_1, summary: SUMMARY_1 } })
      .expect(200);
    await t
      .http()
      .put(`/api/cycles/${cycleId}/scope-values/department/${dept2}`)
      .set(auth(tokens.chiefD))
      .send({ values: { policy: POLICY_2, summary: SUMMARY_2 } })
      .expect(200);
    const e1 = await write(cycleId, items[0], f.users.staffA.token, {
      rating: 'B',
      progress: '子ども食堂3か所の運営を新たに支援した。',
      kpiActuals: [
        { kpiId: kpi.participants, actual: 170 },
        { kpiId: kpi.plan, actual: '素案作成' },
        { kpiId: kpi.accidents, actual: '８' },
      ],
      values: { shortfallReason: SHORTFALL, direction: '継続', sdgs: ['11', '3'] },
    });
    const e2 = await write(cycleId, items[1], f.users.chiefB.token, {
      rating: 'A',
      progress: '保育士30人を採用した。',
      kpiActuals: [{ kpiId: kpi.hires, actual: '３０' }],
      // Every KPI met: the analysis is hidden by its rule, so what was typed into it is not printed.
      values: { shortfallReason: HIDDEN, direction: '拡充', sdgs: ['4'] },
    });
    const e3 = await write(cycleId, items[2], tokens.chiefD, {
      rating: 'S',
      progress: '標準化対応を完了した。',
      kpiActuals: [],
      values: { direction: '改善' },
    });
    return [e1, e2, e3];
  }

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ SMTP_PORT: String(sink.port), PUBLIC_URL: 'https://hyoka.example.jp', REMINDER_RELAY_EVERY_SECONDS: '1' });
    f = await createCycleFixture(t);
    const b = build(t);
    dept2 = await b.department({ code: 'd2', name: '総務部' });
    sectionD = await b.section({ departmentId: dept2, code: 'd', name: '情報政策課' });
    await createUser(t, { login: 'chief-d', name: '情報 太郎', roles: ['chief'], sectionId: sectionD });
    const evaluatorItem = await createUser(t, { login: 'eval-item', name: '評価 花子', roles: ['evaluator'] });
    const headSoumu = await createUser(t, { login: 'head-soumu', name: '矢吹 勇一', roles: ['evaluator'] });
    const deputy = await createUser(t, { login: 'deputy', name: '代理 次郎', roles: ['evaluator'] });
    await t.db.query(`UPDATE departments SET head_user_id = $1 WHERE id = $2`, [headSoumu, dept2]);
    tokens = {
      chiefD: await loginAs(t, 'chief-d'),
      evaluatorItem: await loginAs(t, 'eval-item'),
      headSoumu: await loginAs(t, 'head-soumu'),
      deputy: await loginAs(t, 'deputy'),
    };

    // The plan, its item attributes (one per year) and KPIs: what the plan-items screens hold.
    const itemFields = [
      { key: 'basis', label: '根拠法令', type: 'short_text', scope: 'item' },
      { key: 'yearPlan', label: '年次計画', type: 'long_text', scope: 'item', perYear: true },
    ];
    const plan = { id: await b.plan({ code: 'jimu', name: '事務事業', kind: 'evaluation', itemFields }) };
    const item = (
      n: number,
      title: string,
      chapter: string,
      sectionId: number,
      extra: { content?: string; evaluator?: number; attributes?: Record<string, unknown> },
    ) =>
      b.item({
        planId: plan.id,
        number: n,
        title,
        chapter,
        content: extra.content ?? null,
        evaluator: extra.evaluator ?? null,
        attributes: extra.attributes ?? {},
        sections: [sectionId],
      });
    items = [
      await item(1, '子ども食堂の支援', '第1章 子ども・子育て', f.sections.a, {
        content: '地域の子ども食堂の運営を支援する。',
        evaluator: evaluatorItem,
        attributes: { basis: '子ども・子育て支援法', yearPlan: { '2023': '支援制度の検討', '2024': '3か所で実施', '2025': '全域に拡大' } },
      }),
      await item(2, '保育士の確保', '第1章 子ども・子育て', f.sections.b, { attributes: { basis: '児童福祉法', yearPlan: { '2024': '採用の強化' } } }),
      await item(3, '情報システムの標準化', '第2章 行政経営', sectionD, {}),
    ];
    const addKpi = (itemId: number, sort: number, name: string, unit: string, kind: string, direction: string, target: number | string) =>
      b.kpi({ itemId, name, unit, sort, kind, direction, targets: { '2024': target } });
    kpi = {
      participants: await addKpi(items[0], 0, '参加者数', '人', 'numeric', 'higher', 200),
      plan: await addKpi(items[0], 1, '運営支援計画の策定', '', 'milestone', 'higher', '策定完了'),
      accidents: await addKpi(items[0], 2, '食中毒等の事故件数', '件', 'numeric', 'lower', 10),
      hires: await addKpi(items[1], 0, '保育士の採用数', '人', 'numeric', 'higher', 30),
    };

    await t.http().post('/api/scales').set(planning()).send(SCALE).expect(201);
    const sheetTemplate = await template('jimu-sheet', 'sheet', plan.id);
    const listTemplate = await template('jimu-list', 'list', plan.id);

    // Last year's accepted rating of item 1 (the sheet's 実施状況 for 令和5年度).
    const fy2023 = await openCycle(sheetTemplate, 'FY2023');
    await t.db.query(`UPDATE entries SET state = 'accepted', rating = 'A', accepted_at = now() WHERE cycle_id = $1 AND item_id = $2`, [fy2023, items[0]]);

    sheetCycle = await openCycle(sheetTemplate, 'FY2024');
    listCycle = await openCycle(listTemplate, 'FY2024');

    // The sheet cycle: every entry filled and approved along its route (a delegate for eval-d1).
    const [e1, e2, e3] = await fill(sheetCycle);
    let a = await approve(e1, f.users.chiefA.token);
    a = await approve(a, tokens.evaluatorItem);
    expect((await approve(a, f.users.planning.token)).state).toBe('accepted');
    await t
      .http()
      .post('/api/delegations')
      .set(auth(f.users.evaluator.token))
      .send({ toUserId: deputy, startsOn: today, endsOn: today, reason: '出張のため' })
      .expect(201);
    a = await approve(e2, tokens.deputy); // the chief-b wrote it: the chief's step is given
    expect((await approve(a, f.users.planning.token)).state).toBe('accepted');
    a = await approve(e3, tokens.headSoumu);
    expect((await approve(a, f.users.planning.token)).state).toBe('accepted');

    // The list cycle: filled and submitted, not yet approved.
    await fill(listCycle);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  const expectedRows = () => {
    const blankKpi = ['', '', '', ''];
    return [
      [
        '1',
        '子ども食堂の支援',
        '第1章 子ども・子育て',
        '地域の子ども食堂の運営を支援する。',
        'こども支援課',
        '子ども・子育て支援法',
        '3か所で実施',
        'eval-d1',
        POLICY_1,
        'B',
        '参加者数',
        '200人',
        '170人',
        '85.0%',
        '運営支援計画の策定',
        '策定完了',
        '素案作成',
        '未達成',
        '食中毒等の事故件数',
        '10件',
        '8件',
        '125.0%',
        SHORTFALL,
        '継続',
        '3 すべての人に健康と福祉を、11 住み続けられるまちづくりを',
        '子ども食堂3か所の運営を新たに支援した。',
        SUMMARY_1,
        '評価 花子',
        'chief-a、評価 花子、planning',
        '承認済',
        today,
        today,
      ],
      [
        '2',
        '保育士の確保',
        '第1章 子ども・子育て',
        '',
        '保育幼稚園課',
        '児童福祉法',
        '採用の強化',
        'eval-d1',
        POLICY_1,
        'A',
        '保育士の採用数',
        '30人',
        '30人',
        '100.0%',
        ...blankKpi,
        ...blankKpi,
        '',
        '拡充',
        '4 質の高い教育をみんなに',
        '保育士30人を採用した。',
        SUMMARY_1,
        'eval-d1',
        '代理 次郎(eval-d1の代決)、planning',
        '承認済',
        today,
        today,
      ],
      [
        '3',
        '情報システムの標準化',
        '第2章 行政経営',
        '',
        '情報政策課',
        '',
        '',
        '矢吹 勇一',
        POLICY_2,
        'S',
        ...blankKpi,
        ...blankKpi,
        ...blankKpi,
        '',
        '改善',
        '',
        '標準化対応を完了した。',
        SUMMARY_2,
        '矢吹 勇一',
        '矢吹 勇一、planning',
        '承認済',
        today,
        today,
      ],
    ];
  };

  it("exports CSV with exactly the form's columns in order and the values as defined", async () => {
    const res = await t.http().get(`/api/cycles/${sheetCycle}/export.csv`).set(planning()).buffer(true).parse(binary).expect(200);
    const records: string[][] = parse(res.body.toString('utf8').slice(1), { record_delimiter: '\r\n' });
    expect(records[0]).toEqual(INTERNAL_HEADERS);
    expect(records.slice(1)).toEqual(expectedRows());
    expect(res.body.toString('utf8')).not.toContain(HIDDEN);
  });

  it('exports XLSX whose 一覧 header row is exactly the defined columns, with the same values', async () => {
    const res = await t.http().get(`/api/cycles/${sheetCycle}/export.xlsx`).set(planning()).buffer(true).parse(binary).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const list = wb.getWorksheet('一覧')!;
    const cells = (r: ExcelJS.Row) => Array.from({ length: INTERNAL_HEADERS.length }, (_, i) => r.getCell(i + 1).value ?? '');
    expect((list.getRow(1).values as unknown[]).slice(1)).toEqual(INTERNAL_HEADERS);
    expect(list.actualColumnCount).toBe(INTERNAL_HEADERS.length);
    expect(list.actualRowCount).toBe(4);
    const expected = expectedRows().map((row) => row.map((v, i) => (i === 0 ? Number(v) : v))); // 番号 is a number in the sheet
    expect([2, 3, 4].map((n) => cells(list.getRow(n)))).toEqual(expected);
    // The custom scale counts in 集計.
    const counts = wb.getWorksheet('集計')!;
    expect([2, 3, 4, 5].map((n) => [counts.getRow(n).getCell(1).value, counts.getRow(n).getCell(3).value])).toEqual([
      ['S', 1],
      ['A', 1],
      ['B', 1],
      ['C', 0],
    ]);
  });

  it("prints the 'sheet' layout as one A4 sheet per entry, with the department's heading once", async () => {
    const res = await t.http().get(`/api/cycles/${sheetCycle}/report.html`).set(planning()).expect(200);
    const html = res.text;
    expect(html).not.toContain('<script');
    expect(html).toContain('@page { size: A4; ');
    const sheets = [...html.matchAll(/<section class="sheet" data-entry="(\d+)">([\s\S]*?)<\/section>/g)];
    const entryIds = (
      await t.db.query(`SELECT e.id FROM entries e JOIN plan_items i ON i.id = e.item_id WHERE e.cycle_id = $1 ORDER BY i.number`, [sheetCycle])
    ).map((r: { id: number }) => r.id);
    expect(sheets.map((m) => Number(m[1]))).toEqual(entryIds);
    const departments = [...html.matchAll(/<section class="dept sheet" data-department="(\d+)">([\s\S]*?)<\/section>/g)];
    expect(departments.map((m) => Number(m[1]))).toEqual([f.departmentId, dept2]);
    expect(departments[0][2]).toContain('こども未来部');
    expect(departments[0][2]).toContain('<th>部長名</th><td>eval-d1</td>');
    expect(departments[0][2]).toContain('<th>総括</th><td>8つの目標のうち7つを達成しました。<br>残る1つは令和7年度も継続して取り組みます。</td>');
    expect(departments[1][2]).toContain(`<th>基本方針</th><td>${POLICY_2}</td>`);

    const [one, two, three] = sheets.map((m) => m[2]);
    for (const label of [
      '所管課',
      '評価者',
      '内容',
      '根拠法令',
      '活動指標',
      '目標値が未達成の理由・分析',
      '事業の方向性',
      'SDGsの目標',
      '取組状況',
      '承認者',
    ]) {
      expect(one).toContain(`<th>${label}</th>`);
    }
    expect(one).toContain('<h2>子ども食堂の支援</h2>');
    expect(one).toContain('<td>評価 花子</td>');
    // 年次計画 per fiscal year beside 実施状況: last year's accepted A, this year's B.
    expect(one).toMatch(/<th>令和5年度<\/th><th class="current">令和6年度<\/th><th>令和7年度<\/th>/);
    expect(one).toContain('<tr><th>年次計画</th><td>支援制度の検討</td><td>3か所で実施</td><td>全域に拡大</td></tr>');
    expect(one).toContain('<tr><th>総合評価</th><td class="sym">A</td><td class="sym">B</td><td class="sym"></td></tr>');
    // The KPI table: target, actual and rate per KPI (milestone and lower-is-better included).
    expect(one).toContain('<th>目標(令和6年度)</th>');
    expect(one).toContain('<tr><td>参加者数</td><td class="num">200人</td><td class="num">170人</td><td class="num">85.0%</td></tr>');
    expect(one).toContain('<tr><td>運営支援計画の策定</td><td class="num">策定完了</td><td class="num">素案作成</td><td class="num">未達成</td></tr>');
    expect(one).toContain('<tr><td>食中毒等の事故件数</td><td class="num">10件</td><td class="num">8件</td><td class="num">125.0%</td></tr>');
    expect(one).toContain(SHORTFALL);
    expect(two).toContain('<th>目標値が未達成の理由・分析</th><td colspan="3"></td>');
    expect(html).not.toContain(HIDDEN);
    expect(two).toContain('<tr><th>承認者</th><td colspan="3">代理 次郎(eval-d1の代決)、planning</td></tr>');
    expect(two).not.toContain('<th>提出日</th>');
    expect(three).toContain('<tr><th>総合評価</th><td class="sym">S</td></tr>');

    await render(html, 'reports-forms-sheet', 6);
  });

  it("prints the 'list' layout as one table, a heading row per department with its fields", async () => {
    const res = await t.http().get(`/api/cycles/${listCycle}/report.html?acceptedOnly=false`).set(planning()).expect(200);
    const html = res.text;
    expect(html.match(/<table class="list( dense)?"/g)).toHaveLength(1);
    expect(html.match(/<section class="sheet"/g)).toBeNull();
    const head = /<table class="list( dense)?">[\s\S]*?<thead><tr>([\s\S]*?)<\/tr><\/thead>/.exec(html)![2];
    expect([...head.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1])).toEqual([
      '番号',
      '項目',
      '内容',
      '所管課',
      '根拠法令',
      '年次計画(令和6年度)',
      '総合評価',
      '活動指標',
      '目標値が未達成の理由・分析',
      '事業の方向性',
      'SDGsの目標',
      '取組状況',
    ]);
    expect(html.match(/<tr data-entry="\d+">/g)).toHaveLength(3);
    // Chapters are group rows, again under each department.
    expect([...html.matchAll(/<th class="group" colspan="\d+">(.*?)<\/th>/g)].map((m) => m[1])).toEqual(['第1章 子ども・子育て', '第2章 行政経営']);
    const depts = [...html.matchAll(/<tr class="dept-row" data-department="(\d+)">([\s\S]*?)<\/tr><\/tbody><\/table><\/td><\/tr>/g)];
    expect(depts.map((m) => Number(m[1]))).toEqual([f.departmentId, dept2]);
    expect(depts[0][2]).toContain(`<th>基本方針</th><td>${POLICY_1}</td>`);
    expect(depts[1][2]).toContain('<th>部長名</th><td>矢吹 勇一</td>');
    expect(html).toContain(
      '<span class="kpi-line">食中毒等の事故件数<br><span class="k">目標</span> 10件 <span class="k">実績</span> 8件 <span class="k">達成率</span> 125.0%</span>',
    );
    expect(html).toContain(
      '<span class="kpi-line">運営支援計画の策定<br><span class="k">目標</span> 策定完了 <span class="k">実績</span> 素案作成(未達成)</span>',
    );
    expect(html).not.toContain(HIDDEN);
    await render(html, 'reports-forms-list', 1);
  });

  it("styles the printed list under a CSP without unsafe-inline: one stylesheet with the answer's nonce, column widths in it, no style attributes", async () => {
    const first = await t.http().get(`/api/cycles/${listCycle}/report.html?acceptedOnly=false`).set(planning()).expect(200);
    const second = await t.http().get(`/api/cycles/${listCycle}/report.html?acceptedOnly=false`).set(planning()).expect(200);
    const nonceOf = (res: Response) => /style-src 'self' 'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
    expect(String(first.headers['content-security-policy'])).not.toContain('unsafe-inline');
    expect(nonceOf(first)).toBeTruthy();
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    expect(first.text).toContain(`<style nonce="${nonceOf(first)}">`);
    expect(first.text).not.toMatch(/\sstyle="/);
    // In Chromium, served with its CSP: no violation, and the stylesheet applies (widths, borders).
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ extraHTTPHeaders: planning() as Record<string, string> });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`http://127.0.0.1:${port}/api/cycles/${listCycle}/report.html?acceptedOnly=false`);
      expect(violations).toEqual([]);
      const styled = await page.evaluate(() => {
        const table = document.querySelector('table.list')!;
        const cols = Array.from(table.querySelectorAll('col'), (c) => getComputedStyle(c).width);
        return { collapse: getComputedStyle(table).borderCollapse, cols };
      });
      expect(styled.collapse).toBe('collapse');
      expect(styled.cols.every((w) => w.endsWith('px') && Number.parseFloat(w) > 0)).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('publishes the fields as defined: every form field and the department fields, no workflow or approvers', async () => {
    await t.http().post(`/api/cycles/${sheetCycle}/actions`).set(planning()).send({ action: 'close' }).expect(200);
    await t.http().post(`/api/cycles/${sheetCycle}/actions`).set(planning()).send({ action: 'publish' }).expect(200);
    const page = await t.http().get(`/public/cycles/${sheetCycle}/report.html`).expect(200);
    for (const text of [
      '目標値が未達成の理由・分析',
      SHORTFALL,
      '事業の方向性',
      '継続',
      'SDGsの目標',
      '11 住み続けられるまちづくりを',
      '基本方針',
      POLICY_2,
      '総括',
      '部長名',
      '矢吹 勇一',
      '85.0%',
      '未達成',
    ]) {
      expect(page.text).toContain(text);
    }
    for (const text of ['評価者', '承認者', '評価 花子', '代理 次郎', 'chief-a', '代決', '提出状況', HIDDEN]) expect(page.text).not.toContain(text);
    expect(page.text.match(/<section class="sheet" data-entry=/g)).toHaveLength(3);

    const csv = await t.http().get(`/public/cycles/${sheetCycle}/export.csv`).buffer(true).parse(binary).expect(200);
    const records: string[][] = parse(csv.body.toString('utf8').slice(1), { record_delimiter: '\r\n' });
    expect(records[0]).toEqual(PUBLIC_HEADERS);
    expect(records.slice(1)).toEqual(expectedRows().map((r) => r.slice(0, PUBLIC_HEADERS.length)));
    await render(page.text, 'reports-forms-public', 6);
  });

  it("mails the return (差戻し) with each field's comment under the label of the cycle's form", async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    const e = await entryOf(listCycle, items[1]); // chief-b's entry waits for eval-d1
    const comment = '指標の実績の根拠を確認させてください。';
    await t
      .http()
      .post(`/api/entries/${e.id}/return`)
      .set(auth(f.users.evaluator.token))
      .send({
        version: e.version,
        comment,
        fieldComments: {
          summary: '部の総括に保育士確保の記述を加えてください。',
          shortfallReason: '未達成ではありませんが分析の記載は不要です。',
          rating: 'Aの根拠は？',
        },
      })
      .expect(200);
    await sink.waitFor(() => sink.to('chief-b@example.jp').some((m) => m.subject.startsWith('【差戻し】')));
    const mail = sink.to('chief-b@example.jp').find((m) => m.subject.startsWith('【差戻し】'))!;
    expect(mail.subject).toMatch(/^【差戻し】事務事業評価 令和6年度 No\.2 保育士の確保（再提出の期限 令和\d+年\d+月\d+日\(.\)）（評価サイクル）$/);
    expect(mail.text).toContain(comment);
    expect(mail.text).toContain(
      '【項目ごとの指摘】\n◇ 総合評価\nAの根拠は？\n◇ 目標値が未達成の理由・分析\n未達成ではありませんが分析の記載は不要です。\n◇ 総括\n部の総括に保育士確保の記述を加えてください。\n',
    );
    expect(mail.html).toContain('<dt style="font-weight: bold; margin-top: 0.5em;">目標値が未達成の理由・分析</dt>');
    const refused = await t
      .http()
      .post(`/api/entries/${e.id}/return`)
      .set(auth(f.users.evaluator.token))
      .send({ version: e.version + 1, comment, fieldComments: { nope: 'x' } });
    expect([409, 422]).toContain(refused.status); // returned already (409), or the unknown key (422)
  });

  /** The report in headless Chromium: a PNG to look at and a PDF with at least `pages` A4 pages. */
  async function render(html: string, name: string, pages: number) {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      await page.setContent(html, { waitUntil: 'load' });
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(join(SCREENSHOT_DIR, `${name}.html`), html);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      writeFileSync(join(SCREENSHOT_DIR, `${name}.pdf`), pdf);
      expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(pages);
    } finally {
      await browser.close();
    }
  }
});
