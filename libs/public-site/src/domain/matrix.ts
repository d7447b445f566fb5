import type { PublishedVersion, SnapshotEntry } from '@app/reports';
import { byItem, byPeriod, groupRows, ratingOption, rowKey } from './publications';

export interface MatrixColumn {
  cycleId: number;
  version: number;
  /** '10月', '上半期'. */
  shortLabel: string;
  periodLabel: string;
  fiscalYear: number;
}

export interface MatrixCell {
  /** 'reported' with a rating or without one; 'not_reported': in the cycle but not accepted; 'none': not in the cycle. */
  status: 'reported' | 'not_reported' | 'none';
  symbol: string;
  label: string;
}

export type MatrixRow = { kind: 'chapter'; text: string } | { kind: 'parent'; text: string } | { kind: 'item'; entry: SnapshotEntry; cells: MatrixCell[] };

export interface Matrix {
  /** Fiscal years in order with how many columns each spans. */
  years: { fiscalYear: number; span: number }[];
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /** Every symbol of the scales used, in scale order, with its words. */
  legend: { symbol: string; label: string }[];
}

/**
 * The items × periods matrix of a plan from the latest publication of each of its cycles:
 * columns by period (fiscal-year groups), one row per item and section under its chapter and
 * parent heading, each described as in its latest publication.
 */
export function buildMatrix(latest: readonly PublishedVersion[]): Matrix {
  const ordered = [...latest].sort(byPeriod);
  const columns: MatrixColumn[] = ordered.map((v) => ({
    cycleId: v.cycleId,
    version: v.version,
    shortLabel: v.snapshot.cycle.shortLabel,
    periodLabel: v.snapshot.cycle.periodLabel,
    fiscalYear: v.snapshot.cycle.fiscalYear,
  }));
  const years: Matrix['years'] = [];
  for (const c of columns) {
    const last = years[years.length - 1];
    if (last && last.fiscalYear === c.fiscalYear) last.span++;
    else years.push({ fiscalYear: c.fiscalYear, span: 1 });
  }
  const described = new Map<string, SnapshotEntry>();
  for (const v of ordered) for (const e of v.snapshot.entries) described.set(rowKey(e), e);
  const byCycle = ordered.map((v) => new Map(v.snapshot.entries.map((e) => [rowKey(e), e])));
  const rows: MatrixRow[] = groupRows([...described.values()].sort(byItem)).map((r) => {
    if (r.kind !== 'item') return r;
    const cells = ordered.map((v, i): MatrixCell => {
      const e = byCycle[i].get(rowKey(r.entry));
      if (!e) return { status: 'none', symbol: '', label: '' };
      if (!e.reported) return { status: 'not_reported', symbol: '', label: '未報告' };
      const o = ratingOption(v.snapshot, e.rating);
      return { status: 'reported', symbol: o?.symbol ?? '', label: o?.label ?? '評価なし' };
    });
    return { kind: 'item', entry: r.entry, cells };
  });
  const legend = new Map<string, string>();
  for (const v of [...ordered].reverse()) for (const o of v.snapshot.scale.options) if (!legend.has(o.symbol)) legend.set(o.symbol, o.label);
  return { years, columns, rows, legend: [...legend].map(([symbol, label]) => ({ symbol, label })) };
}
