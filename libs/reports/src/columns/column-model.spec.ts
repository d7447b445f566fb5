import { BUILTIN_SCALES, DEFAULT_FORM, normaliseForm, RatingScale, ruleOfConditions } from '@app/domain';
import { columnModel, ColumnModelSpec } from './column-model';
import { approversText, rowCells } from './entry-view';
import type { ReportEntry } from './report-entry';

const scale: RatingScale = {
  code: 'goal5',
  name: '5段階',
  options: [
    { value: 'S', symbol: 'S', label: '大きく上回った', ordinal: 3 },
    { value: 'A', symbol: 'A', label: '達成', ordinal: 2 },
    { value: 'C', symbol: 'C', label: '未達成', ordinal: 0 },
  ],
  reasonRequiredFor: ['C'],
};

const form = normaliseForm([
  { key: 'policy', label: '基本方針', type: 'long_text', scope: 'department' },
  { key: 'rating', label: '総合評価' },
  { key: 'kpiActuals', label: '活動指標' },
  { key: 'shortfallReason', label: '目標値が未達成の理由・分析', type: 'long_text', visible: ruleOfConditions([{ kind: 'kpi_shortfall' }]) },
  {
    key: 'direction',
    label: '事業の方向性',
    type: 'single_choice',
    options: [
      { value: 'keep', label: '継続' },
      { value: 'cut', label: '縮小' },
    ],
  },
  {
    key: 'sdgs',
    label: 'SDGs',
    type: 'multi_choice',
    options: [
      { value: '3', label: '3 すべての人に健康と福祉を' },
      { value: '11', label: '11 住み続けられるまちづくりを' },
    ],
  },
  { key: 'startedOn', label: '開始日', type: 'date' },
  { key: 'cost', label: '事業費', type: 'money', unit: '千円' },
  { key: 'summary', label: '総括', type: 'long_text', scope: 'department' },
  { key: 'sectionNote', label: '課の所見', type: 'short_text', scope: 'section' },
]);

const itemFields = normaliseForm([
  { key: 'basis', label: '根拠法令', type: 'short_text', scope: 'item' },
  { key: 'plan', label: '年次計画', type: 'long_text', scope: 'item', perYear: true },
]);

const spec = (over: Partial<ColumnModelSpec> = {}): ColumnModelSpec => ({
  fields: form,
  itemFields,
  scale,
  fiscalYear: 2024,
  kpiSlots: 2,
  present: { chapter: true, category: false, content: false, targetDate: false },
  audience: 'internal',
  ...over,
});

const entry = (over: Partial<ReportEntry> = {}): ReportEntry => ({
  id: 1,
  itemId: 10,
  state: 'accepted',
  number: 4,
  subNumber: '①',
  chapter: '第1章 子育て',
  category: null,
  title: '子ども食堂の支援',
  content: null,
  targetDateText: null,
  sectionId: 10,
  sectionName: 'こども支援課',
  departmentId: 3,
  departmentName: 'こども未来部',
  headName: '志村 明子',
  evaluatorName: '評価 一郎',
  rating: 'A',
  previousRating: null,
  progress: null,
  fiscalGoal: null,
  shortTermPlan: null,
  reason: null,
  nextSteps: null,
  kpiActuals: [
    { kpiId: 1, actual: 170 },
    { kpiId: 2, actual: '素案作成' },
  ],
  values: { shortfallReason: '周知が遅れた', direction: 'keep', sdgs: ['3', '11'], startedOn: '2024-10-01', cost: 12345 },
  kpis: [
    { id: 1, name: '参加者数', unit: '人', kind: 'numeric', direction: 'higher', targets: { '2024': 200 } },
    { id: 2, name: '計画策定', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '策定完了' } },
  ],
  attributes: { basis: '子ども・子育て支援法', plan: { '2023': '検討', '2024': '実施' } },
  departmentValues: { policy: '子どもの幸福を第一に', summary: '概ね達成した' },
  sectionValues: { sectionNote: '順調' },
  approvals: [],
  ratingHistory: {},
  submittedAt: new Date('2024-10-09T01:00:00Z'),
  acceptedAt: new Date('2024-10-20T01:00:00Z'),
  ...over,
});

describe('column model', () => {
  it('derives the headers from the form: item, attributes, fields in order, KPI slots, department fields with 部長名 once, workflow', () => {
    expect(columnModel(spec()).columns.map((c) => c.header)).toEqual([
      '番号',
      '項目',
      '章',
      '所管課',
      '根拠法令',
      '年次計画(令和6年度)',
      '部長名',
      '基本方針',
      '総合評価',
      '指標1 名称',
      '指標1 目標(令和6年度)',
      '指標1 実績',
      '指標1 達成率',
      '指標2 名称',
      '指標2 目標(令和6年度)',
      '指標2 実績',
      '指標2 達成率',
      '目標値が未達成の理由・分析',
      '事業の方向性',
      'SDGs',
      '開始日',
      '事業費',
      '総括',
      '課の所見',
      '評価者',
      '承認者',
      '状態',
      '提出日',
      '承認日',
    ]);
  });

  it('prints the values: scale symbol, KPI rates and milestones, choice labels, era dates, units, department values', () => {
    const cells = rowCells(columnModel(spec()), entry());
    expect(cells).toEqual([
      '4-①',
      '子ども食堂の支援',
      '第1章 子育て',
      'こども支援課',
      '子ども・子育て支援法',
      '実施',
      '志村 明子',
      '子どもの幸福を第一に',
      'A',
      '参加者数',
      '200人',
      '170人',
      '85.0%',
      '計画策定',
      '策定完了',
      '素案作成',
      '未達成',
      '周知が遅れた',
      '継続',
      '3 すべての人に健康と福祉を、11 住み続けられるまちづくりを',
      '令和6年10月1日',
      '12,345千円',
      '概ね達成した',
      '順調',
      '評価 一郎',
      '',
      '承認済',
      '2024-10-09',
      '2024-10-20',
    ]);
  });

  it('prints a hidden field blank: the shortfall analysis shows only when a KPI misses its target', () => {
    const met = entry({
      kpiActuals: [
        { kpiId: 1, actual: 200 },
        { kpiId: 2, actual: '策定完了' },
      ],
    });
    const model = columnModel(spec());
    const at = model.columns.findIndex((c) => c.header === '目標値が未達成の理由・分析');
    expect(rowCells(model, met)[at]).toBe('');
    expect(rowCells(model, entry())[at]).toBe('周知が遅れた');
  });

  it('a lower-is-better KPI: target over actual', () => {
    const lower = entry({
      kpis: [{ id: 1, name: '事故件数', unit: '件', kind: 'numeric', direction: 'lower', targets: { '2024': 10 } }],
      kpiActuals: [{ kpiId: 1, actual: 8 }],
    });
    const model = columnModel(spec());
    const cells = rowCells(model, lower);
    const at = model.columns.findIndex((c) => c.header === '指標1 名称');
    expect(cells.slice(at, at + 8)).toEqual(['事故件数', '10件', '8件', '125.0%', '', '', '', '']);
  });

  it('keeps 番号 a number without a sub-number, and drops empty optional item columns', () => {
    const model = columnModel(spec({ present: { chapter: false, category: true, content: true, targetDate: true } }));
    expect(model.columns.slice(0, 7).map((c) => c.header)).toEqual(['番号', '項目', '分類', '内容', '目標期日', '所管課', '根拠法令']);
    expect(rowCells(model, entry({ subNumber: '', category: 'デジタル' })).slice(0, 3)).toEqual([4, '子ども食堂の支援', 'デジタル']);
  });

  it('the public audience gets the same fields without the workflow', () => {
    const headers = columnModel(spec({ audience: 'public' })).columns.map((c) => c.header);
    expect(headers).toContain('目標値が未達成の理由・分析');
    expect(headers).toContain('部長名');
    for (const h of ['評価者', '承認者', '状態', '提出日', '承認日']) expect(headers).not.toContain(h);
  });

  it("the first version's form: 評価 first, the six built-in fields by their labels, no KPI columns without KPIs", () => {
    const model = columnModel(
      spec({
        fields: DEFAULT_FORM,
        itemFields: [],
        scale: BUILTIN_SCALES.progress4,
        kpiSlots: 0,
        present: { chapter: false, category: false, content: false, targetDate: false },
      }),
    );
    expect(model.columns.map((c) => c.header)).toEqual([
      '番号',
      '項目',
      '所管課',
      '評価',
      '進捗状況',
      '年度目標',
      '計画(短期目標)',
      '理由',
      '今後の取組',
      '評価者',
      '承認者',
      '状態',
      '提出日',
      '承認日',
    ]);
    const cells = rowCells(model, entry({ rating: '○', progress: '進めた', reason: null, nextSteps: '継続する', kpis: [], kpiActuals: [] }));
    expect(cells.slice(3, 9)).toEqual(['○', '進めた', '', '', '', '継続する']);
  });

  it('defuses text that Excel would run as a formula, leaving numbers alone', () => {
    const model = columnModel(
      spec({
        fields: DEFAULT_FORM,
        itemFields: [],
        scale: BUILTIN_SCALES.progress4,
        kpiSlots: 0,
        present: { chapter: false, category: false, content: false, targetDate: false },
      }),
    );
    const cells = rowCells(
      model,
      entry({
        subNumber: '',
        title: '=HYPERLINK("http://evil.example","x")',
        progress: '+SUM(A1)',
        reason: '@cmd',
        nextSteps: '-1+2',
        kpis: [],
        kpiActuals: [],
      }),
    );
    expect(cells[1]).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(cells.slice(4, 9)).toEqual(["'+SUM(A1)", '', '', "'@cmd", "'-1+2"]);
    expect(typeof cells[0]).toBe('number');
  });

  it('marks 代決 in the approvers, in order', () => {
    expect(
      approversText([
        { name: '課長 一郎', onBehalfOfName: null, acting: false },
        { name: '次長 二郎', onBehalfOfName: '部長 三郎', acting: true },
        { name: '企画 四郎', onBehalfOfName: null, acting: true },
      ]),
    ).toBe('課長 一郎、次長 二郎(部長 三郎の代決)、企画 四郎(代決)');
  });
});
