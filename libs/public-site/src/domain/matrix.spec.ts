import { buildMatrix } from './matrix';
import { H1_2024, H1_2025, H2_2024, MAR_2025, version } from './publications.fixture';

describe('buildMatrix', () => {
  const v1 = version({
    cycleId: 1,
    at: '2024-10-20',
    period: H1_2024,
    entries: [
      { itemId: 1, rating: 'B' },
      { itemId: 2, numberValue: 2, reported: false, rating: null },
    ],
  });
  const v2 = version({ cycleId: 2, at: '2025-04-20', period: H2_2024, entries: [{ itemId: 1, rating: 'A' }] });
  const v3 = version({ cycleId: 3, at: '2025-04-10', period: MAR_2025, entries: [{ itemId: 1, rating: 'C' }] });
  const v4 = version({ cycleId: 4, at: '2025-10-20', period: H1_2025, entries: [{ itemId: 1, rating: null, title: '改名後' }] });

  it('orders periods by fiscal year and end, a month before the half-year that ends with it, and groups the years', () => {
    const m = buildMatrix([v4, v2, v1, v3]);
    expect(m.columns.map((c) => c.shortLabel)).toEqual(['上半期', '3月', '下半期', '上半期']);
    expect(m.years).toEqual([
      { fiscalYear: 2024, span: 3 },
      { fiscalYear: 2025, span: 1 },
    ]);
  });

  it('gives each cell its symbol and words, 未報告 when not reported, none when not in the cycle; describes a row as in its latest period', () => {
    const m = buildMatrix([v1, v2, v3, v4]);
    const rows = m.rows.filter((r) => r.kind === 'item');
    expect(rows).toHaveLength(2);
    const [first, second] = rows as Extract<(typeof rows)[number], { kind: 'item' }>[];
    expect(first.entry.title).toBe('改名後');
    expect(first.cells.map((c) => `${c.status}:${c.symbol}:${c.label}`)).toEqual([
      'reported:B:実施中',
      'reported:C:着手',
      'reported:A:完了',
      'reported::評価なし',
    ]);
    expect(second.cells.map((c) => c.status)).toEqual(['not_reported', 'none', 'none', 'none']);
  });

  it('puts chapter rows and, for sub-numbered items, one parent row per pledge', () => {
    const v = version({
      cycleId: 9,
      at: '2024-10-20',
      period: H1_2024,
      entries: [
        { itemId: 1, numberValue: 1, subNumber: '①', chapter: '第1章', category: '【デジタル】親' },
        { itemId: 2, numberValue: 1, subNumber: '②', chapter: '第1章', category: '【デジタル】親' },
        { itemId: 3, numberValue: 2, chapter: '第2章' },
      ],
    });
    expect(buildMatrix([v]).rows.map((r) => (r.kind === 'item' ? r.entry.itemId : `${r.kind}:${r.text}`))).toEqual([
      'chapter:第1章',
      'parent:1:【デジタル】親',
      1,
      2,
      'chapter:第2章',
      3,
    ]);
  });

  it('heads a category that spans several numbers by itself (an action plan), and gives the legend in scale order', () => {
    const v = version({
      cycleId: 9,
      at: '2024-10-20',
      period: H1_2024,
      entries: [
        { itemId: 1, numberValue: 1, chapter: '① 自治', category: '①ーア 自治の推進' },
        { itemId: 2, numberValue: 2, chapter: '① 自治', category: '①ーア 自治の推進' },
        { itemId: 3, numberValue: 3, subNumber: '①', chapter: '① 自治', category: '①ーイ 連携' },
      ],
    });
    const m = buildMatrix([v]);
    expect(m.rows.map((r) => (r.kind === 'item' ? r.entry.itemId : `${r.kind}:${r.text}`))).toEqual([
      'chapter:① 自治',
      'parent:①ーア 自治の推進',
      1,
      2,
      'parent:3:①ーイ 連携',
      3,
    ]);
    expect(m.legend.map((o) => o.symbol)).toEqual(['A', 'B', 'C', 'D']);
  });
});
