import { normaliseForm, SDGS_OPTIONS } from '@app/domain';
import { parseFiscalYearLabel } from './item-import.columns';
import { importTemplateCsv, kpiKindKey, mapHeader, splitSectionCell, validateRows } from './item-import.rows';

const lookup = {
  byKey: new Map([
    ['こども支援課', 1],
    ['保育幼稚園課', 2],
    ['s03', 3],
  ]),
};
const HEADER = ['番号', '枝番', '章', '分類', '名称', '内容', '目標期日', '所管課', '指標', '単位'];

describe('item import rows', () => {
  it('maps Japanese and English headers', () => {
    expect(mapHeader(HEADER).errors).toEqual([]);
    const en = mapHeader(['number', 'subNumber', 'title', 'sections']);
    expect(en.errors).toEqual([]);
    expect(en.columns.fixed.get('sections')).toBe(3);
    expect(mapHeader(['番号', '名称']).errors).toEqual([{ row: 1, field: '所管課', message: '列「所管課」がありません' }]);
  });

  it('splits section cells at ・ 、 , and newlines', () => {
    expect(splitSectionCell('a・b、c,d\ne')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('accepts valid rows and skips blank lines', () => {
    const { rows, errors } = validateRows(
      [
        HEADER,
        ['1', '', '', '', '無料化', '', '未定', 'こども支援課・s03', '人数', '人'],
        ['', '', '', '', '', '', '', '', '', ''],
        ['２', '①', '', '', '保育', '', '', '保育幼稚園課', '', ''],
      ],
      lookup,
    );
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.row, r.number, r.subNumber, r.sectionIds, r.kpis])).toEqual([
      [2, 1, '', [1, 3], [{ name: '人数', unit: '人' }]],
      [4, 2, '①', [2], []],
    ]);
  });

  it('reports every bad row with its spreadsheet row number and column', () => {
    const { rows, errors } = validateRows(
      [
        HEADER,
        ['1', '', '', '', 'ok', '', '', 'こども支援課', '', ''],
        ['x', '', '', '', '', '', '', 'X課', '', '円'],
        ['1', '', '', '', 'dup', '', '', 'こども支援課', '', ''],
      ],
      lookup,
    );
    expect(rows).toHaveLength(1);
    expect(errors).toEqual([
      { row: 3, field: '番号', message: '番号「x」は1以上の整数で入力してください' },
      { row: 3, field: '名称', message: '名称は必須です' },
      { row: 3, field: '所管課', message: '課「X課」が見つかりません' },
      { row: 3, field: '単位', message: '単位を入力する場合は指標も入力してください' },
      { row: 4, field: '番号', message: '番号 1 は 2 行目と重複しています' },
    ]);
  });

  it('builds a template that round-trips through the header mapper', () => {
    const csv = importTemplateCsv();
    expect(csv.startsWith('\uFEFF番号,枝番,章')).toBe(true);
    expect(mapHeader(csv.slice(1).split('\r\n')[0].split(',')).errors).toEqual([]);
    const fields = normaliseForm([
      { key: 'budget', label: '予算額', type: 'money', scope: 'item', perYear: true },
      { key: 'law', label: '根拠法令', type: 'short_text', scope: 'item' },
    ]);
    const withFields = importTemplateCsv(fields, 2024).slice(1).split('\r\n')[0].split(',');
    expect(withFields.slice(-4)).toEqual(['評価者', '予算額(千円)', '予算額(令和6年度)', '根拠法令']);
    const { columns, errors } = mapHeader(withFields, fields);
    expect(errors).toEqual([]);
    expect(columns.ignored).toEqual([]);
    expect([...columns.kpis.keys()]).toEqual([1, 2]);
    expect([...columns.kpis.get(1)!.targets.keys()]).toEqual(['2024']);
  });
});

describe('item import: several KPIs, evaluator, budget and attributes', () => {
  const fields = normaliseForm([
    { key: 'budget', label: '予算額', type: 'money', scope: 'item', perYear: true, unit: '千円' },
    { key: 'fte', label: '従事職員数', type: 'number', scope: 'item', decimals: 1 },
    { key: 'sdgs', label: 'SDGs', type: 'multi_choice', scope: 'item', options: SDGS_OPTIONS, maxSelections: 3 },
    { key: 'shared', label: '共同実施', type: 'yes_no', scope: 'item' },
  ]);
  const full = {
    ...lookup,
    fields,
    users: new Map([['eval-1', 7]]),
    kpiKinds: new Map([[kpiKindKey(1, '', '計画策定'), 'milestone' as const]]),
  };
  const header = [
    '番号',
    '名称',
    '所管課',
    '指標1',
    '指標1の単位',
    '指標1の方向',
    '指標1目標(令和6年度)',
    '指標1目標(2025)',
    '指標2',
    '指標2の種類',
    '指標2の目標（R6）',
    '評価者',
    '予算額(千円)',
    '予算額(令和6年度)',
    '予算額(2025)',
    '従事職員数',
    'SDGs',
    '共同実施',
    '備考',
  ];

  it('parses era and western fiscal years in headers', () => {
    expect(['2024', '令和6年度', 'R6', 'ｒ６', '令和元年度', '平成30年度', 'H30', 'FY2024', '2024年度', 'x', '1800'].map(parseFiscalYearLabel)).toEqual([
      2024,
      2024,
      2024,
      2024,
      2019,
      2018,
      2018,
      2024,
      2024,
      null,
      null,
    ]);
  });

  it('reads KPIs with kind, direction and targets per year, the evaluator by login, and attributes by label', () => {
    const { rows, errors, ignoredColumns } = validateRows(
      [
        header,
        [
          '1',
          '事業A',
          'こども支援課',
          '事故件数',
          '件',
          '低いほど良い',
          '１２',
          '10',
          '計画策定',
          '',
          '策定完了',
          'eval-1',
          '1,200',
          '１，５００',
          '',
          '2.5',
          '3・11 住み続けられるまちづくりを',
          'はい',
          'メモ',
        ],
      ],
      full,
    );
    expect(errors).toEqual([]);
    expect(ignoredColumns).toEqual(['備考']);
    expect(rows[0]).toMatchObject({
      evaluatorUserId: 7,
      budgetThousandYen: 1200,
      kpis: [
        { name: '事故件数', unit: '件', direction: 'lower', targets: { '2024': '１２', '2025': '10' } },
        { name: '計画策定', targets: { '2024': '策定完了' } },
      ],
      attributes: { budget: { '2024': '１，５００', '2025': null }, fte: '2.5', sdgs: ['3', '11'], shared: true },
    });
  });

  it('names the column of each bad cell', () => {
    const { errors } = validateRows(
      [header, ['1', '事業A', 'こども支援課', '', '件', '', '', '', '満足度', '星', 'とても', 'nobody', '-5', 'abc', '', '2.55', '1・2・3・4', 'たぶん', '']],
      full,
    );
    expect(errors).toEqual([
      { row: 2, field: '評価者', message: '評価者「nobody」が見つかりません(有効な利用者のログインIDで指定してください)' },
      { row: 2, field: '予算額(千円)', message: '予算額(千円)「-5」は0以上の整数(千円単位)で入力してください' },
      { row: 2, field: '指標1の単位', message: '指標1の単位を入力する場合は指標1も入力してください' },
      { row: 2, field: '指標2の種類', message: '種類「星」は「数値」か「達成目標(文言)」で入力してください' },
      {
        row: 2,
        field: '指標2の目標（R6）',
        message: '指標「満足度」の令和6年度の目標値「とても」は数値で入力してください(文言の目標は種類を「達成目標(文言)」にしてください)',
      },
      { row: 2, field: '予算額(令和6年度)', message: '令和6年度の予算額(budget)は数値で入力してください' },
      { row: 2, field: '従事職員数', message: '従事職員数(fte)は小数1桁までで入力してください' },
      { row: 2, field: 'SDGs', message: 'SDGs(sdgs)は3つまで選択できます' },
      { row: 2, field: '共同実施', message: '共同実施(shared)は「はい」か「いいえ」で指定してください' },
    ]);
  });

  it('refuses a per-year attribute without a year and an unreadable year', () => {
    expect(mapHeader(['番号', '名称', '所管課', '予算額', '指標1目標(来年)'], fields).errors).toEqual([
      { row: 1, field: '予算額', message: '「予算額」は年度ごとの属性です。列名に年度を付けてください(例: 予算額(令和6年度))' },
      { row: 1, field: '指標1目標(来年)', message: '列「指標1目標(来年)」の年度を読み取れません(例: 指標1目標(令和6年度)、指標1目標(2024))' },
    ]);
  });
});
