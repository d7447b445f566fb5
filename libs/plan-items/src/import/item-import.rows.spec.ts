import { importTemplateCsv, mapHeader, splitSectionCell, validateRows } from './item-import.rows';

const lookup = { byKey: new Map([['こども支援課', 1], ['保育幼稚園課', 2], ['s03', 3]]) };
const HEADER = ['番号', '枝番', '章', '分類', '名称', '内容', '目標期日', '所管課', '指標', '単位'];

describe('item import rows', () => {
  it('maps Japanese and English headers', () => {
    expect(mapHeader(HEADER).errors).toEqual([]);
    const en = mapHeader(['number', 'subNumber', 'title', 'sections']);
    expect(en.errors).toEqual([]);
    expect(en.columns.get('sections')).toBe(3);
    expect(mapHeader(['番号', '名称']).errors).toEqual([{ row: 1, field: '所管課', message: '列「所管課」がありません' }]);
  });

  it('splits section cells at ・ 、 , and newlines', () => {
    expect(splitSectionCell('a・b、c,d\ne')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('accepts valid rows and skips blank lines', () => {
    const { rows, errors } = validateRows(
      [HEADER, ['1', '', '', '', '無料化', '', '未定', 'こども支援課・s03', '人数', '人'], ['', '', '', '', '', '', '', '', '', ''], ['２', '①', '', '', '保育', '', '', '保育幼稚園課', '', '']],
      lookup,
    );
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.row, r.number, r.subNumber, r.sectionIds, r.kpi])).toEqual([
      [2, 1, '', [1, 3], { name: '人数', unit: '人' }],
      [4, 2, '①', [2], null],
    ]);
  });

  it('reports every bad row with its spreadsheet row number and column', () => {
    const { rows, errors } = validateRows(
      [HEADER, ['1', '', '', '', 'ok', '', '', 'こども支援課', '', ''], ['x', '', '', '', '', '', '', 'X課', '', '円'], ['1', '', '', '', 'dup', '', '', 'こども支援課', '', '']],
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
  });
});
