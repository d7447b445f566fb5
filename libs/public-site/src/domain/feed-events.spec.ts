import { feedEvents } from './feed-events';
import { H1_2024, H2_2024, version } from './publications.fixture';

describe('feedEvents', () => {
  const h1 = version({
    cycleId: 1,
    at: '2024-10-20',
    period: H1_2024,
    entries: [
      { itemId: 1, rating: 'B' },
      { itemId: 2, rating: 'C' },
    ],
  });
  const h2 = version({
    cycleId: 2,
    at: '2025-04-20',
    period: H2_2024,
    entries: [
      { itemId: 1, rating: 'A' },
      { itemId: 2, rating: 'C' },
    ],
  });

  it('has an entry per publication and per rating changed since the previous period, newest first', () => {
    const events = feedEvents([h2, h1]);
    expect(events.map((e) => e.title)).toEqual([
      '評価の変更: 1 項目1(こども支援課) B(実施中) → A(完了)',
      '公表: 市長公約 令和6年度 下半期(第1版)',
      '公表: 市長公約 令和6年度 上半期(第1版)',
    ]);
    expect(new Set(events.map((e) => e.key)).size).toBe(3);
  });

  it('compares a republication with the version it replaces, not with a later period', () => {
    const corrected = version({
      cycleId: 1,
      version: 2,
      at: '2025-05-01',
      period: H1_2024,
      entries: [
        { itemId: 1, rating: 'B' },
        { itemId: 2, rating: 'D' },
      ],
    });
    const events = feedEvents([h1, h2, corrected]);
    expect(events.slice(0, 2).map((e) => e.title)).toEqual([
      '評価の変更: 1 項目2(こども支援課) C(着手) → D(未着手)',
      '再公表: 市長公約 令和6年度 上半期(第2版)',
    ]);
    expect(events.filter((e) => e.kind === 'rating' && e.version === 2)).toHaveLength(1);
  });

  it('ignores an entry not reported then or now, and keeps only an item’s own events', () => {
    const unreported = version({
      cycleId: 2,
      at: '2025-04-20',
      period: H2_2024,
      entries: [
        { itemId: 1, reported: false, rating: null },
        { itemId: 2, rating: 'A' },
      ],
    });
    const events = feedEvents([h1, unreported], 1);
    expect(events.map((e) => e.kind)).toEqual(['publication', 'publication']);
    expect(feedEvents([h1, unreported], 2).filter((e) => e.kind === 'rating')).toHaveLength(1);
  });
});
