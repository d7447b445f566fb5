import { BUILTIN_SCALES } from '@app/domain';
import { percent, tallyBy, tallyRatings } from './tally';

describe('tallyRatings', () => {
  const abcd = BUILTIN_SCALES.abcd;

  it('counts every option in scale order, zeros included, like the published A–D table', () => {
    const t = tallyRatings(abcd, [
      { rating: 'B', count: 19 },
      { rating: 'A', count: 37 },
      { rating: 'C', count: 4 },
    ]);
    expect(t.ratings.map((r) => `${r.symbol} ${r.label} ${r.count}`)).toEqual(['A 完了 37', 'B 実施中 19', 'C 着手 4', 'D 未着手 0']);
    expect(t.total).toBe(60);
    expect(t.ordinals).toEqual([
      { ordinal: 3, count: 37 },
      { ordinal: 2, count: 19 },
      { ordinal: 1, count: 4 },
      { ordinal: 0, count: 0 },
    ]);
  });

  it('keeps unrated and unknown ratings apart so every entry is counted once', () => {
    const t = tallyRatings(abcd, [
      { rating: null, count: 2 },
      { rating: 'Z', count: 1 },
      { rating: 'A', count: '3' as unknown as number },
    ]);
    expect(t).toMatchObject({ total: 6, unrated: 2, unknown: 1 });
    expect(t.ratings[0].count).toBe(3);
    expect(t.ratings.reduce((s, r) => s + r.count, 0) + t.unrated + t.unknown).toBe(t.total);
  });

  it('groups by key in first-seen order', () => {
    const by = tallyBy(BUILTIN_SCALES.progress4, [
      { key: '第2章', rating: '○', count: 1 },
      { key: '第1章', rating: '☆', count: 2 },
      { key: '第2章', rating: '×', count: 1 },
    ]);
    expect([...by.keys()]).toEqual(['第2章', '第1章']);
    expect(by.get('第2章')?.total).toBe(2);
  });

  it('computes percentages with one decimal and no division by zero', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBe(0);
  });
});
