import { BUILTIN_SCALES, normaliseForm, ruleOfConditions } from '@app/domain';
import { columnModel, ColumnModelSpec } from '../columns/column-model';
import { viewEntry } from '../columns/entry-view';
import type { ReportEntry } from '../columns/report-entry';
import { departmentSheet } from './department-block';
import { listLayout } from './list-layout';
import { entrySheet } from './sheet-layout';

const form = normaliseForm([
  { key: 'summary', label: '総括', type: 'long_text', scope: 'department' },
  { key: 'rating', label: '実施状況' },
  { key: 'kpiActuals', label: '活動指標' },
  { key: 'progress', label: '取組状況' },
  { key: 'stopReason', label: '未着手・中止の理由', type: 'long_text', visible: ruleOfConditions([{ kind: 'rating_in', values: ['△', '×'] }]) },
]);
const spec: ColumnModelSpec = {
  fields: form,
  itemFields: normaliseForm([
    { key: 'purpose', label: '課題・目的', type: 'long_text', scope: 'item' },
    { key: 'plan', label: '年次計画', type: 'long_text', scope: 'item', perYear: true },
  ]),
  scale: BUILTIN_SCALES.action4,
  fiscalYear: 2023,
  kpiSlots: 1,
  present: { chapter: true, category: false, content: false, targetDate: false },
  audience: 'internal',
};
const model = columnModel(spec);

const entry = (over: Partial<ReportEntry> = {}): ReportEntry => ({
  id: 7,
  itemId: 70,
  state: 'accepted',
  number: 1,
  subNumber: '',
  chapter: '①ーア 自治の推進',
  category: null,
  title: '市民参加のあり方の追求',
  content: null,
  targetDateText: null,
  sectionId: 2,
  sectionName: '企画調整課',
  departmentId: 1,
  departmentName: '総合政策部',
  headName: '部長 太郎',
  evaluatorName: '評価 花子',
  rating: '○',
  previousRating: null,
  progress: '意見交換会を実施した。\n<script>alert(1)</script>',
  fiscalGoal: null,
  shortTermPlan: null,
  reason: null,
  nextSteps: null,
  kpiActuals: [{ kpiId: 1, actual: 12 }],
  values: { stopReason: '非表示のはずの理由' },
  kpis: [{ id: 1, name: '開催回数', unit: '回', kind: 'numeric', direction: 'higher', targets: { '2023': 10 } }],
  attributes: { purpose: '市民参加の裾野の拡大', plan: { '2021': '検討', '2022': '実施', '2023': '→', '2024': '→' } },
  departmentValues: { summary: '概ね計画どおり' },
  sectionValues: {},
  approvals: [{ name: '課長 一郎', onBehalfOfName: null, acting: false }],
  ratingHistory: { '2021': '○', '2022': '◎' },
  submittedAt: null,
  acceptedAt: null,
  ...over,
});

describe('sheet layout', () => {
  const html = entrySheet(model, viewEntry(spec, entry()), { departmentInBlock: true });

  it('is one A4 section per entry with the item, its attributes and every field by its label', () => {
    expect(html.match(/<section class="sheet" data-entry="7">/g)).toHaveLength(1);
    expect(html).toContain('<span class="no">No.1</span><h2>市民参加のあり方の追求</h2>');
    expect(html).toContain('<tr><th>所管課</th><td>企画調整課</td><th>評価者</th><td>評価 花子</td></tr>');
    expect(html).toContain('<tr><th>課題・目的</th><td colspan="3">市民参加の裾野の拡大</td></tr>');
    expect(html).toContain('<tr><th>取組状況</th><td colspan="3">意見交換会を実施した。<br>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<tr><td>開催回数</td><td class="num">10回</td><td class="num">12回</td><td class="num">120.0%</td></tr>');
    expect(html).toContain('<th>承認者</th><td colspan="3">課長 一郎</td>');
  });

  it('lays 年次計画 out per fiscal year with the rating of each year beneath (実施状況)', () => {
    expect(html).toContain('<tr><th></th><th>令和3年度</th><th>令和4年度</th><th class="current">令和5年度</th><th>令和6年度</th></tr>');
    expect(html).toContain('<tr><th>年次計画</th><td>検討</td><td>実施</td><td>→</td><td>→</td></tr>');
    expect(html).toContain('<tr><th>実施状況</th><td class="sym">○</td><td class="sym">◎</td><td class="sym">○</td><td class="sym"></td></tr>');
  });

  it('prints a field hidden by its rule blank, and shows it once the rule holds', () => {
    expect(html).toContain('<tr><th>未着手・中止の理由</th><td colspan="3"></td></tr>');
    expect(html).not.toContain('非表示のはずの理由');
    const stopped = entrySheet(model, viewEntry(spec, entry({ rating: '×', values: { stopReason: '議論を凍結した' } })), { departmentInBlock: true });
    expect(stopped).toContain('<tr><th>未着手・中止の理由</th><td colspan="3">議論を凍結した</td></tr>');
  });

  it("prints the department's heading once, on its own page: 部長名 and the department fields", () => {
    expect(html).not.toContain('総括');
    expect(departmentSheet(model, viewEntry(spec, entry()))).toBe(
      '<section class="dept sheet" data-department="1"><h2>総合政策部</h2><table class="dept-fields"><tbody>' +
        '<tr><th>部長名</th><td>部長 太郎</td></tr><tr><th>総括</th><td>概ね計画どおり</td></tr></tbody></table></section>\n',
    );
  });
});

describe('list layout', () => {
  it('one table: a column per part (chapter as group rows, department fields in the heading row)', () => {
    const list = listLayout(model, { byDepartment: true, filled: new Set(['rating', 'progress', 'kpiActuals']) });
    expect(list.parts.map((p) => p.label)).toEqual([
      '番号',
      '項目',
      '所管課',
      '課題・目的',
      '年次計画(令和5年度)',
      '実施状況',
      '活動指標',
      '取組状況',
      '未着手・中止の理由',
    ]);
    expect(list.landscape).toBe(true);
    expect(list.open()).toMatch(/^<table class="list[^"]*"><colgroup>/);
    const view = viewEntry(spec, entry());
    expect(list.departmentRow(view)).toContain('<tr><th>部長名</th><td>部長 太郎</td></tr><tr><th>総括</th><td>概ね計画どおり</td></tr>');
    const row = list.row(view);
    expect(row).toContain('<td class="sym" title="実施中">○</td>');
    expect(row).toContain(
      '<span class="kpi-line">開催回数<br><span class="k">目標</span> 10回 <span class="k">実績</span> 12回 <span class="k">達成率</span> 120.0%</span>',
    );
    expect(row).not.toContain('非表示のはずの理由');
    expect(row).not.toContain('<script>');
  });

  it('a field empty in the whole report keeps its column, narrower', () => {
    const widths = (filled?: Set<string>) =>
      [
        ...listLayout(model, { byDepartment: true, filled })
          .open()
          .matchAll(/width="([\d.]+)%"/g),
      ].map((m) => Number(m[1]));
    const at = 8; // 未着手・中止の理由
    expect(widths(new Set(['progress']))[at]).toBeLessThan(widths(new Set(['progress', 'stopReason']))[at]);
  });
});
