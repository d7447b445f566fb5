import type { RatingScale } from '@app/domain';

/** One rating option with how many entries carry it. */
export interface RatingCount {
  value: string;
  symbol: string;
  label: string;
  ordinal: number;
  count: number;
}

export interface RatingTally {
  total: number;
  /** Every option of the scale in scale order, zero counts included (a published table lists D 未着手 0). */
  ratings: RatingCount[];
  /** Entries without a rating. */
  unrated: number;
  /** Entries whose rating is not an option of the scale (a scale edited after rating); never silently dropped. */
  unknown: number;
  /** Common ordinal 3 (best) .. 0 (worst), comparable across scales. */
  ordinals: { ordinal: number; count: number }[];
}

/** A grouped count as SQL returns it: `count` entries have `rating`. */
export interface RatingGroup {
  rating: string | null;
  count: number;
}

/** Tallies grouped counts against a scale; the sum of every bucket always equals `total`. */
export function tallyRatings(scale: RatingScale, groups: RatingGroup[]): RatingTally {
  const ratings = scale.options.map((o) => ({ value: o.value, symbol: o.symbol, label: o.label, ordinal: o.ordinal, count: 0 }));
  const byValue = new Map(ratings.map((r) => [r.value, r]));
  const ordinals = [3, 2, 1, 0].map((ordinal) => ({ ordinal, count: 0 }));
  let total = 0;
  let unrated = 0;
  let unknown = 0;
  for (const g of groups) {
    const n = Number(g.count);
    total += n;
    if (g.rating === null || g.rating === '') {
      unrated += n;
      continue;
    }
    const bucket = byValue.get(g.rating);
    if (!bucket) {
      unknown += n;
      continue;
    }
    bucket.count += n;
    const ord = ordinals.find((o) => o.ordinal === bucket.ordinal);
    if (ord) ord.count += n;
  }
  return { total, ratings, unrated, unknown, ordinals };
}

/** Tallies per group key (chapter, department), keeping the first-seen order of keys. */
export function tallyBy<K extends string | number>(scale: RatingScale, rows: (RatingGroup & { key: K })[]): Map<K, RatingTally> {
  const groups = new Map<K, RatingGroup[]>();
  for (const r of rows) {
    const list = groups.get(r.key) ?? [];
    list.push(r);
    groups.set(r.key, list);
  }
  return new Map([...groups].map(([key, list]) => [key, tallyRatings(scale, list)]));
}

/** Percentage with one decimal; 0 when there is nothing to count. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}
