import { ComparisonPublication, compareMunicipalities } from './comparison';

const scale = {
  code: 'abcd',
  name: '取組状況4段階(ABCD)',
  options: ['A', 'B', 'C', 'D'].map((value, i) => ({ value, symbol: value, label: value, ordinal: 3 - i })),
};
const pub = (tenantId: number, periodKey: string, at: string, counts: Partial<ComparisonPublication> = {}): ComparisonPublication => ({
  tenantId,
  cycleId: tenantId * 100 + Number(periodKey.slice(-1)),
  version: 1,
  publishedAt: new Date(at),
  templateName: '総合計画 半期評価',
  periodKey,
  periodLabel: periodKey.endsWith('H1') ? '令和6年度 上半期' : '令和6年度 下半期',
  fiscalYear: 2024,
  scale,
  total: 4,
  reported: 2,
  ratings: { A: 1, B: 1 },
  ...counts,
});
const municipalities = [
  { id: 3, code: '112089', name: '所沢市', publicUrl: null },
  { id: 1, code: '112259', name: '入間市', publicUrl: 'https://hyoka.city.iruma.example.jp' },
];

describe('compareMunicipalities', () => {
  it('takes the newest period published when none is asked for, and lists every municipality in the given order', () => {
    const c = compareMunicipalities('sougou-half', municipalities, [
      pub(1, '2024-H1', '2024-11-01'),
      pub(1, '2024-H2', '2025-05-01'),
      pub(3, '2024-H1', '2024-11-02'),
    ]);
    expect(c.period).toEqual({ key: '2024-H2', label: '令和6年度 下半期', fiscalYear: 2024 });
    expect(c.periods.map((p) => p.key)).toEqual(['2024-H2', '2024-H1']);
    expect(c.municipalities.map((m) => [m.name, m.published])).toEqual([
      ['所沢市', false],
      ['入間市', true],
    ]);
  });

  it('counts per option of the scale in its order, zero where none, and the reported share', () => {
    const c = compareMunicipalities('sougou-half', municipalities, [pub(3, '2024-H1', '2024-11-02', { total: 3, reported: 2, ratings: { C: 2 } })], '2024-H1');
    const row = c.municipalities[0];
    expect(row).toMatchObject({ published: true, reported: 2, total: 3, notReported: 1, reportedPercent: 66.7 });
    expect(row.ratings).toEqual([
      { value: 'A', count: 0 },
      { value: 'B', count: 0 },
      { value: 'C', count: 2 },
      { value: 'D', count: 0 },
    ]);
    expect(c.municipalities[1]).toMatchObject({ published: false, total: 0, reportedPercent: null, cycleId: null });
  });

  it('answers no period for one nobody published, and none at all without publications', () => {
    expect(compareMunicipalities('x', municipalities, [pub(1, '2024-H1', '2024-11-01')], '2030-H1').period).toBeNull();
    const empty = compareMunicipalities('x', municipalities, []);
    expect(empty).toMatchObject({ period: null, periods: [], scale: null, templateName: null });
    expect(empty.municipalities).toHaveLength(2);
  });
});
