import type { PublicSnapshot, PublishedVersion, SnapshotEntry } from '@app/reports';

/** A publication's rating option (symbol and label) for a stored value; null when unrated. */
export function ratingOption(snapshot: PublicSnapshot, rating: string | null): { symbol: string; label: string } | null {
  if (rating === null || rating === undefined) return null;
  const o = snapshot.scale.options.find((x) => x.value === rating);
  return o ? { symbol: o.symbol, label: o.label } : { symbol: rating, label: rating };
}

/** The row key of a matrix or history: one item as reported by one section. */
export const rowKey = (e: Pick<SnapshotEntry, 'itemId' | 'sectionId'>) => `${e.itemId}:${e.sectionId}`;

/** A publication (or its head) as the period order reads it. */
type Dated = Pick<PublishedVersion, 'cycleId'> & { snapshot: Pick<PublishedVersion['snapshot'], 'cycle'> };

/**
 * Periods in report order: by fiscal year, then by the end of the period, a shorter one first
 * when two end together (March before 下半期 before the fiscal year).
 */
export function byPeriod(a: Dated, b: Dated): number {
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
export function notReportedSentence(c: Pick<PublicationCounts, 'total' | 'reported' | 'notReported'>): string {
  if (c.total === 0) return '対象の項目はありません。';
  if (c.notReported === 0) return `${c.total}項目すべてが報告済みです。`;
  return `${c.total}項目中${c.notReported}項目は未報告です(報告済み${c.reported}項目)。`;
}

/** A list in the published reports' layout: chapter rows, heading rows of a category (a pledge's parent), and the entries. */
export type GroupedRow<T> = { kind: 'chapter'; text: string } | { kind: 'parent'; text: string } | { kind: 'item'; entry: T };

/**
 * Chapter and category heading rows over entries already in item order. A category heads the
 * run of entries that share it: when they are the sub-items of one number (the A–D list's
 * ①②), it reads as the pledge, 「1:【デジタル】…」; when it spans several numbers (an action
 * plan's 「①ーア …」), as itself.
 */
export function groupRows<T extends Pick<SnapshotEntry, 'chapter' | 'category' | 'numberValue' | 'subNumber'>>(entries: readonly T[]): GroupedRow<T>[] {
  const rows: GroupedRow<T>[] = [];
  let i = 0;
  let chapter: string | null | undefined;
  while (i < entries.length) {
    const e = entries[i];
    if (e.chapter && e.chapter !== chapter) rows.push({ kind: 'chapter', text: e.chapter });
    chapter = e.chapter;
    let j = i + 1;
    while (j < entries.length && entries[j].category === e.category && entries[j].chapter === e.chapter) j++;
    const run = entries.slice(i, j);
    if (e.category) {
      const onePledge = run.every((x) => x.numberValue === e.numberValue && x.subNumber);
      rows.push({ kind: 'parent', text: onePledge ? `${e.numberValue}:${e.category}` : e.category });
    }
    for (const x of run) rows.push({ kind: 'item', entry: x });
    i = j;
  }
  return rows;
}
