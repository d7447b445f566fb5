import type { PublishedVersion, SnapshotEntry } from '@app/reports';
import { byPeriod, publicationCounts, ratingOption, rowKey } from './publications';

/** One entry of a public feed: a publication, or a rating that changed at a publication. */
export interface FeedEvent {
  kind: 'publication' | 'rating';
  /** Stable across requests: the same event keeps its id (feed readers deduplicate by it). */
  key: string;
  cycleId: number;
  version: number;
  itemId: number | null;
  publishedAt: Date;
  title: string;
  summary: string;
}

/**
 * The events of a plan's publications, newest first: each publication (a 再公表 too), and each
 * item whose rating differs from the one published before it. "Before" is the previous version
 * of the same cycle when there is one (a correction), else the latest publication then online
 * of the nearest earlier period. With `itemId`, only that item's changes and the publications
 * that carried it.
 */
export function feedEvents(versions: readonly PublishedVersion[], itemId?: number): FeedEvent[] {
  const chronological = [...versions].sort((a, b) => +new Date(a.publishedAt) - +new Date(b.publishedAt) || a.cycleId - b.cycleId || a.version - b.version);
  const online = new Map<number, PublishedVersion>();
  const events: FeedEvent[] = [];
  for (const v of chronological) {
    const entries = itemId === undefined ? v.snapshot.entries : v.snapshot.entries.filter((e) => e.itemId === itemId);
    const c = v.snapshot.cycle;
    if (itemId === undefined || entries.length > 0) {
      const counts = publicationCounts(v.snapshot);
      events.push({
        kind: 'publication',
        key: `cycle-${v.cycleId}-v${v.version}`,
        cycleId: v.cycleId,
        version: v.version,
        itemId: null,
        publishedAt: new Date(v.publishedAt),
        title: `${v.version > 1 ? '再公表' : '公表'}: ${v.snapshot.plan.name} ${c.periodLabel}(第${v.version}版)`,
        summary: `${v.snapshot.template.name} ${c.periodLabel} の取組状況を公表しました(第${v.version}版)。${counts.total}項目中${counts.reported}項目を報告。`,
      });
    }
    const before = previousPublication(online, v);
    if (before) {
      const earlier = new Map(before.snapshot.entries.map((e) => [rowKey(e), e]));
      for (const e of entries) {
        const old = earlier.get(rowKey(e));
        if (!e.reported || !old?.reported || e.rating === null || old.rating === null || old.rating === e.rating) continue;
        events.push(ratingEvent(v, before, old, e));
      }
    }
    online.set(v.cycleId, v);
  }
  return events.reverse();
}

function previousPublication(online: ReadonlyMap<number, PublishedVersion>, v: PublishedVersion): PublishedVersion | undefined {
  const same = online.get(v.cycleId);
  if (same) return same;
  return [...online.values()]
    .filter((o) => byPeriod(o, v) < 0)
    .sort(byPeriod)
    .pop();
}

function ratingEvent(v: PublishedVersion, before: PublishedVersion, old: SnapshotEntry, e: SnapshotEntry): FeedEvent {
  const from = ratingOption(before.snapshot, old.rating);
  const to = ratingOption(v.snapshot, e.rating);
  const text = (o: { symbol: string; label: string } | null) => (o ? (o.symbol === o.label ? o.symbol : `${o.symbol}(${o.label})`) : '');
  const where = before.cycleId === v.cycleId ? `第${before.version}版` : before.snapshot.cycle.periodLabel;
  return {
    kind: 'rating',
    key: `cycle-${v.cycleId}-v${v.version}-item-${e.itemId}-section-${e.sectionId}`,
    cycleId: v.cycleId,
    version: v.version,
    itemId: e.itemId,
    publishedAt: new Date(v.publishedAt),
    title: `評価の変更: ${e.number} ${e.title}(${e.sectionName}) ${text(from)} → ${text(to)}`,
    summary: `${v.snapshot.cycle.periodLabel}(第${v.version}版)で、${e.number} ${e.title}(${e.sectionName})の評価が ${where} の ${text(from)} から ${text(to)} に変わりました。`,
  };
}
