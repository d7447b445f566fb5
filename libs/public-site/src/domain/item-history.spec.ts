import { itemHistory, TEXT_PERIODS_PER_PAGE, textPage } from './item-history';
import { version } from './publications.fixture';

/** 30 monthly publications of item 1, April 2022 onwards. */
const monthly = Array.from({ length: 30 }, (_, i) => {
  const start = new Date(Date.UTC(2022, 3 + i, 1));
  const end = new Date(Date.UTC(2022, 4 + i, 0));
  const fy = start.getUTCMonth() >= 3 ? start.getUTCFullYear() : start.getUTCFullYear() - 1;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return version({ cycleId: i + 1, at: day(end), period: [day(start), day(end), fy, `${start.getUTCMonth() + 1}月`], entries: [{ itemId: 1 }] });
});

describe('textPage', () => {
  const { periods } = itemHistory(monthly, 1);

  it('shows the newest periods first, a page at a time, and the older ones on the next pages', () => {
    const first = textPage(periods, 1)!;
    expect(first.pages).toBe(Math.ceil(30 / TEXT_PERIODS_PER_PAGE));
    expect(first.shown.map((p) => p.version.cycleId)).toEqual(Array.from({ length: TEXT_PERIODS_PER_PAGE }, (_, i) => 30 - i));
    const last = textPage(periods, first.pages)!;
    expect(last.shown[last.shown.length - 1].version.cycleId).toBe(1);
    const all = Array.from({ length: first.pages }, (_, i) => textPage(periods, i + 1)!.shown.map((p) => p.version.cycleId)).flat();
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
  });

  it('has no page 0 nor past the last; one page when the history is short', () => {
    expect(textPage(periods, 0)).toBeNull();
    expect(textPage(periods, 4)).toBeNull();
    expect(textPage(periods.slice(0, 3), 1)).toEqual({ shown: [...periods.slice(0, 3)].reverse(), page: 1, pages: 1 });
  });
});
