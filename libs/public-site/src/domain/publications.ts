import type { PublicSnapshot, PublishedVersion, SnapshotEntry } from '@app/reports';

/** A publication's rating option (symbol and label) for a stored value; null when unrated. */
export function ratingOption(snapshot: PublicSnapshot, rating: string | null): { symbol: string; label: string } | null {
  if (rating === null || rating === undefined) return null;
  const o = snapshot.scale.options.find((x) => x.value === rating);
  return o ? { symbol: o.symbol, label: o.label } : { symbol: rating, label: rating };
}

/** The row key of a matrix or history: one item as reported by one section. */
export const rowKey = (e: Pick<SnapshotEntry, 'itemId' | 'sectionId'>) => `${e.itemId}:${e.sectionId}`;

/**
 * Periods in report order: by fiscal year, then by the end of the period, a shorter one first
 * when two end together (March before 下半期 before the fiscal year).
 */
export function byPeriod(a: PublishedVersion, b: PublishedVersion): number {
  const x = a.snapshot.cycle;
  const y = b.snapshot.cycle;
  return x.fiscalYear - y.fiscalYear || x.periodEnd.localeCompare(y.periodEnd) || y.periodStart.localeCompare(x.periodStart) || a.cycleId - b.cycleId;
}

/** Entries in the published reports' order: number, sub-number, section. */
export function byItem(a: SnapshotEntry, b: SnapshotEntry): number {
  return a.numberValue - b.numberValue || a.subNumber.localeCompare(b.subNumber) || a.sectionId - b.sectionId;
}

/** Counts of a publication: per rating option (in the scale's order), unrated, and not reported. */
export interface PublicationCounts {
  total: number;
  reported: number;
  notReported: number;
  unrated: number;
  ratings: { value: string; symbol: string; label: string; count: number }[];
}

export function publicationCounts(snapshot: PublicSnapshot): PublicationCounts {
  const reported = snapshot.entries.filter((e) => e.reported);
  return {
    total: snapshot.entries.length,
    reported: reported.length,
    notReported: snapshot.entries.length - reported.length,
    unrated: reported.filter((e) => e.rating === null).length,
    ratings: snapshot.scale.options.map((o) => ({
      value: o.value,
      symbol: o.symbol,
      label: o.label,
      count: reported.filter((e) => e.rating === o.value).length,
    })),
  };
}

/** The sentence that says plainly how much was not reported: 「75項目中70項目は未報告」. */
export function notReportedSentence(c: PublicationCounts): string {
  if (c.total === 0) return '対象の項目はありません。';
  if (c.notReported === 0) return `${c.total}項目すべてが報告済みです。`;
  return `${c.total}項目中${c.notReported}項目は未報告です(報告済み${c.reported}項目)。`;
}
