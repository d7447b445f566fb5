import type { PublishedVersion, SnapshotEntry, SnapshotKpi } from '@app/reports';
import { byPeriod } from './publications';

/** One period of an item: the latest publication of the cycle and the item's rows in it (one per section). */
export interface ItemPeriod {
  version: PublishedVersion;
  entries: SnapshotEntry[];
}

/** A KPI over the fiscal years: each year's target and actual, from the last reported period of that year. */
export interface KpiSeries {
  name: string;
  unit: string;
  kind: SnapshotKpi['kind'];
  sectionName: string;
  years: { fiscalYear: number; target: number | string | null; actual: number | string | null; rate: string; periodLabel: string }[];
}

/** An item's publications in period order (latest version of each cycle) and its KPI series. */
export function itemHistory(latest: readonly PublishedVersion[], itemId: number): { periods: ItemPeriod[]; kpis: KpiSeries[] } {
  const periods = [...latest]
    .sort(byPeriod)
    .map((version) => ({ version, entries: version.snapshot.entries.filter((e) => e.itemId === itemId) }))
    .filter((p) => p.entries.length > 0);
  const series = new Map<string, KpiSeries>();
  for (const p of periods) {
    for (const e of p.entries) {
      if (!e.reported) continue;
      for (const k of e.kpis) {
        const key = `${k.id}:${e.sectionId}`;
        const s = series.get(key) ?? { name: k.name, unit: k.unit, kind: k.kind, sectionName: e.sectionName, years: [] };
        const fy = p.version.snapshot.cycle.fiscalYear;
        const point = { fiscalYear: fy, target: k.target, actual: k.actual, rate: k.rate, periodLabel: p.version.snapshot.cycle.periodLabel };
        const last = s.years[s.years.length - 1];
        // The year's figure is its last period's (a year-end report supersedes the months before it), unless that one left it blank.
        if (last && last.fiscalYear === fy) {
          if (k.actual !== null || last.actual === null) s.years[s.years.length - 1] = point;
        } else s.years.push(point);
        series.set(key, s);
      }
    }
  }
  return { periods, kpis: [...series.values()] };
}

/** Periods whose published texts one item page shows; older ones are on the next pages. */
export const TEXT_PERIODS_PER_PAGE = 12;

/**
 * The periods of page `page` (1 = the newest) of an item's published texts, newest first, and
 * the number of pages; null for a page past the last. The rating table and KPI series stay
 * whole on every page (one line per period); the texts are what grows with the years.
 */
export function textPage(periods: readonly ItemPeriod[], page: number): { shown: ItemPeriod[]; page: number; pages: number } | null {
  const pages = Math.max(1, Math.ceil(periods.length / TEXT_PERIODS_PER_PAGE));
  if (!Number.isInteger(page) || page < 1 || page > pages) return null;
  const newestFirst = [...periods].reverse();
  return { shown: newestFirst.slice((page - 1) * TEXT_PERIODS_PER_PAGE, page * TEXT_PERIODS_PER_PAGE), page, pages };
}
