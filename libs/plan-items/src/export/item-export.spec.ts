import { normaliseForm, SDGS_OPTIONS } from '@app/domain';
import { parse } from 'csv-parse/sync';
import { normaliseAttribute } from '../item-attributes';
import type { ItemView } from '../items.service';
import { cellValue } from '../import/item-import.cells';
import { sectionKeys, validateRows } from '../import/item-import.rows';
import { itemExportCsv } from './item-export.files';
import { attributeCell, itemExportTable, yearHeader } from './item-export.table';

const FIELDS = normaliseForm([
  { key: 'budget', label: '予算額', type: 'money', scope: 'item', perYear: true },
  { key: 'sdgs', label: 'SDGs', type: 'multi_choice', scope: 'item', options: SDGS_OPTIONS },
  { key: 'law', label: '根拠法令', type: 'short_text', scope: 'item' },
  { key: 'open', label: '公開', type: 'yes_no', scope: 'item' },
]);
const SECTIONS = [
  { id: 1, code: 'kodomo', name: 'こども支援課' },
  { id: 2, code: 'hoiku', name: '保育・幼稚園課' }, // splits at ・: written by its code
  { id: 3, code: 'kodomo-shien', name: 'kodomo' }, // its name is another section's code
];

function item(over: Partial<ItemView>): ItemView {
  return {
    id: 1,
    planId: 1,
    number: 1,
    subNumber: '',
    chapter: null,
    category: null,
    title: 't',
    content: null,
    targetDateText: null,
    evaluatorUserId: null,
    budgetThousandYen: null,
    version: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
    sections: [],
    kpis: [],
    attributes: {},
    retiredAttributes: {},
    ...over,
  };
}

const section = (id: number) => {
  const s = SECTIONS.find((x) => x.id === id)!;
  return { sectionId: s.id, sectionCode: s.code, sectionName: s.name, content: null, targetDateText: null, sort: 0 };
};

const ITEMS = [
  item({
    number: 1,
    title: '=HYPERLINK("x")',
    content: '一行目\n二行目',
    sections: [section(1), section(2), section(3)],
    evaluatorUserId: 7,
    budgetThousandYen: 1200,
    kpis: [
      { id: 10, name: '待機児童数', unit: '人', kind: 'numeric', direction: 'lower', targets: { '2025': -5, '2024': 10 }, sort: 0 },
      { id: 11, name: '方針', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '100' }, sort: 1 },
    ],
    attributes: { budget: { '2024': 1500, '2026': 1700 }, sdgs: ['3', '11'], law: '-児童福祉法', open: false },
  }),
  item({
    id: 2,
    number: 2,
    subNumber: '①',
    title: '二',
    sections: [section(1)],
    kpis: [{ id: 12, name: '率', unit: '%', kind: 'numeric', direction: 'higher', targets: {}, sort: 0 }],
  }),
];
const CTX = { fields: FIELDS, sectionKeys: sectionKeys(SECTIONS), logins: new Map([[7, 'eval-kodomo']]), fiscalYear: 2030 };

describe('item export table', () => {
  it('has the import columns, a KPI group per KPI of the largest item, a target column per year and per-year attribute columns', () => {
    const { header, rows } = itemExportTable(ITEMS, CTX);
    expect(header).toEqual([
      '番号',
      '枝番',
      '章',
      '分類',
      '名称',
      '内容',
      '目標期日',
      '所管課',
      '評価者',
      '予算額(千円)',
      '指標1',
      '指標1の単位',
      '指標1の種類',
      '指標1の方向',
      '指標1の目標(令和6年度)',
      '指標1の目標(令和7年度)',
      '指標2',
      '指標2の単位',
      '指標2の種類',
      '指標2の方向',
      '指標2の目標(令和6年度)',
      '指標2の目標(令和7年度)',
      '予算額(令和6年度)',
      '予算額(令和8年度)',
      'SDGs',
      '根拠法令',
      '公開',
    ]);
    expect(rows[0]).toEqual([
      1,
      null,
      null,
      null,
      '=HYPERLINK("x")',
      '一行目\n二行目',
      null,
      'こども支援課・hoiku・kodomo-shien',
      'eval-kodomo',
      1200,
      '待機児童数',
      '人',
      '数値',
      '低いほど良い',
      10,
      -5,
      '方針',
      null,
      '達成目標(文言)',
      '高いほど良い',
      '100',
      null,
      1500,
      1700,
      '3 すべての人に健康と福祉を・11 住み続けられるまちづくりを',
      '-児童福祉法',
      'いいえ',
    ]);
    expect(rows[1].slice(10, 17)).toEqual(['率', '%', '数値', '高いほど良い', null, null, null]);
  });

  it('gives an empty plan the template-like columns for this fiscal year', () => {
    expect(itemExportTable([], CTX).header.slice(10)).toEqual([
      '指標1',
      '指標1の単位',
      '指標1の種類',
      '指標1の方向',
      '指標1の目標(令和12年度)',
      '予算額(令和12年度)',
      'SDGs',
      '根拠法令',
      '公開',
    ]);
    expect(yearHeader('2019')).toBe('令和元年度');
    expect(yearHeader('2118')).toBe('2118');
  });

  it('reads back through the import: the CSV (formulas defused) gives the same rows', () => {
    const csv = itemExportCsv(itemExportTable(ITEMS, CTX));
    expect(csv.startsWith('\uFEFF番号,枝番,')).toBe(true);
    expect(csv).toContain(`,"'=HYPERLINK(""x"")","一行目\n二行目",`);
    expect(csv).toContain(",'-児童福祉法,");
    expect(csv).toContain(',10,-5,'); // numbers are not defused
    const table = parse(csv.slice(1), { relax_column_count: true }) as string[][];
    const { rows, errors, ignoredColumns } = validateRows(table, {
      byKey: sectionKeys(SECTIONS),
      users: new Map([['eval-kodomo', 7]]),
      fields: FIELDS,
      kpiKinds: new Map(),
    });
    expect([errors, ignoredColumns]).toEqual([[], []]);
    expect(rows[0]).toMatchObject({
      number: 1,
      subNumber: '',
      title: '=HYPERLINK("x")',
      content: '一行目\n二行目',
      sectionIds: [1, 2, 3],
      evaluatorUserId: 7,
      budgetThousandYen: 1200,
      kpis: [
        { name: '待機児童数', unit: '人', kind: 'numeric', direction: 'lower', targets: { '2024': '10', '2025': '-5' } },
        { name: '方針', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '100', '2025': null } },
      ],
    });
    const attrs = rows[0].attributes;
    expect(FIELDS.map((f) => normaliseAttribute(f, attrs[f.key], f.key).value)).toEqual([{ '2024': 1500, '2026': 1700 }, ['3', '11'], '-児童福祉法', false]);
    expect(rows[1]).toMatchObject({ number: 2, subNumber: '①', sectionIds: [1], evaluatorUserId: null, budgetThousandYen: null });
  });

  it('writes a choice by its label unless the label reads as another option or splits, then by its value', () => {
    const [field] = normaliseForm([
      {
        key: 'c',
        label: 'C',
        type: 'multi_choice',
        scope: 'item',
        options: [
          { value: 'a', label: 'b' },
          { value: 'b', label: 'ビー' },
          { value: 'c', label: '市・町' },
          { value: 'd', label: 'D' },
        ],
      },
    ]);
    expect(attributeCell(field, ['a', 'b', 'c', 'd'])).toBe('a・ビー・c・D');
    expect(cellValue(field, 'a・ビー・c・D')).toEqual(['a', 'b', 'c', 'd']);
    // One option's label is the other's value: the import reads values first, so both can be named.
    const [single] = normaliseForm([
      {
        key: 's',
        label: 'S',
        type: 'single_choice',
        scope: 'item',
        options: [
          { value: 'x', label: 'y' },
          { value: 'y', label: 'x' },
        ],
      },
    ]);
    expect([attributeCell(single, 'x'), attributeCell(single, 'y')]).toEqual(['x', 'y']);
    expect([cellValue(single, 'x'), cellValue(single, 'y')]).toEqual(['x', 'y']);
  });
});
