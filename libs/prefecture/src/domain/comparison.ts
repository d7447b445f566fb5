import type { MunicipalityPublication } from '@app/reports';
/**
 * The prefecture's comparison of its municipalities for one shared template code and one period
 * (pure): each municipality with what its latest publication of that period counts, or as not
 * published. Built from counts only (PublishedReportsService.ofMunicipalities): no text.
 */

export interface ComparisonMunicipality {
  id: number;
  code: string | null;
  name: string;
  publicUrl: string | null;
}

/** A municipality's latest publication as counts: the row type libs/reports reads it as (type only: no runtime import). */
export type ComparisonPublication = MunicipalityPublication;

export interface ComparisonPeriod {
  key: string;
  label: string;
  fiscalYear: number;
}

export interface ComparisonRow {
  tenantId: number;
  code: string | null;
  name: string;
  publicUrl: string | null;
  published: boolean;
  cycleId: number | null;
  version: number | null;
  publishedAt: Date | null;
  total: number;
  reported: number;
  notReported: number;
  /** reported / total in per cent, one decimal; null when nothing was published. */
  reportedPercent: number | null;
  /** Per option of the scale, in its order. */
  ratings: { value: string; count: number }[];
}

export interface Comparison {
  code: string;
  templateName: string | null;
  period: ComparisonPeriod | null;
  periods: ComparisonPeriod[];
  scale: ComparisonPublication['scale'] | null;
  municipalities: ComparisonRow[];
}

/** Newest period first: by fiscal year, then the latest publication among them. */
function periodsOf(publications: ComparisonPublication[]): ComparisonPeriod[] {
  const latest = new Map<string, { period: ComparisonPeriod; at: number }>();
  for (const p of publications) {
    const at = +new Date(p.publishedAt);
    const seen = latest.get(p.periodKey);
    if (!seen || seen.at < at) latest.set(p.periodKey, { period: { key: p.periodKey, label: p.periodLabel, fiscalYear: p.fiscalYear }, at });
  }
  return [...latest.values()].sort((a, b) => b.period.fiscalYear - a.period.fiscalYear || b.at - a.at).map((x) => x.period);
}

/**
 * The comparison for `periodKey` (when omitted: the newest period any municipality published).
 * Every municipality is a row, the ones without a publication of the period too (published: false).
 */
export function compareMunicipalities(
  code: string,
  municipalities: ComparisonMunicipality[],
  publications: ComparisonPublication[],
  periodKey?: string,
): Comparison {
  const periods = periodsOf(publications);
  const period = periodKey === undefined ? (periods[0] ?? null) : (periods.find((p) => p.key === periodKey) ?? null);
  const ofPeriod = publications.filter((p) => period !== null && p.periodKey === period.key);
  const scale = ofPeriod[0]?.scale ?? publications[0]?.scale ?? null;
  const byTenant = new Map(ofPeriod.map((p) => [p.tenantId, p]));
  const rows = municipalities.map((m): ComparisonRow => {
    const p = byTenant.get(m.id);
    const base = { tenantId: m.id, code: m.code, name: m.name, publicUrl: m.publicUrl };
    if (!p)
      return {
        ...base,
        published: false,
        cycleId: null,
        version: null,
        publishedAt: null,
        total: 0,
        reported: 0,
        notReported: 0,
        reportedPercent: null,
        ratings: (scale?.options ?? []).map((o) => ({ value: o.value, count: 0 })),
      };
    return {
      ...base,
      published: true,
      cycleId: p.cycleId,
      version: p.version,
      publishedAt: p.publishedAt,
      total: p.total,
      reported: p.reported,
      notReported: p.total - p.reported,
      reportedPercent: p.total === 0 ? 0 : Math.round((p.reported / p.total) * 1000) / 10,
      ratings: (scale?.options ?? []).map((o) => ({ value: o.value, count: p.ratings[o.value] ?? 0 })),
    };
  });
  return { code, templateName: ofPeriod[0]?.templateName ?? publications[0]?.templateName ?? null, period, periods, scale, municipalities: rows };
}
