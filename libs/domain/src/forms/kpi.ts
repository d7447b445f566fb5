/** A numeric KPI is measured; a milestone KPI is reached or not (策定完了). */
export const KPI_KINDS = ['numeric', 'milestone'] as const;
export type KpiKind = (typeof KPI_KINDS)[number];
export const KPI_KIND_LABELS: Record<KpiKind, string> = { numeric: '数値', milestone: '達成目標(文言)' };

/** Whether more is better (参加者数) or less is (事故件数). */
export const KPI_DIRECTIONS = ['higher', 'lower'] as const;
export type KpiDirection = (typeof KPI_DIRECTIONS)[number];
export const KPI_DIRECTION_LABELS: Record<KpiDirection, string> = { higher: '高いほど良い', lower: '低いほど良い' };

/** A KPI of an item, with its target per fiscal year ({"2024": 80} or {"2024": "策定完了"}). */
export interface KpiDefinition {
  id: number;
  name: string;
  unit: string;
  kind: KpiKind;
  direction: KpiDirection;
  targets: Record<string, number | string>;
}

/** What a section reports for one KPI: a number, or the milestone's wording. */
export interface KpiActual {
  kpiId: number;
  actual: number | string | null;
}

export interface KpiAchievement {
  target: number | string | null;
  actual: number | string | null;
  /** Percent of the target reached, one decimal; null without target or actual. */
  rate: number | null;
  /** Target reached (null when it cannot be judged yet). */
  achieved: boolean | null;
}

/** Words that mark a milestone as reached whatever its target's wording. */
const MILESTONE_DONE = ['達成', '完了', '済', '実施済み'];

const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * How far a KPI got in a fiscal year. Higher-is-better: actual / target. Lower-is-better:
 * target / actual (an actual of 0 reaches any target). Milestone: reached when the actual
 * says what the target says, or says it is done.
 */
export function kpiAchievement(
  kpi: Pick<KpiDefinition, 'kind' | 'direction' | 'targets'>,
  fiscalYear: number,
  actual: number | string | null | undefined,
): KpiAchievement {
  const raw = kpi.targets?.[String(fiscalYear)];
  const target = raw === undefined || raw === '' ? null : raw;
  const value = actual === undefined || actual === '' ? null : actual;
  if (target === null || value === null) return { target, actual: value, rate: null, achieved: null };
  if (kpi.kind === 'milestone') {
    const a = squash(String(value));
    const achieved = a === squash(String(target)) || MILESTONE_DONE.includes(a);
    return { target, actual: value, rate: achieved ? 100 : 0, achieved };
  }
  const t = Number(target);
  const v = Number(value);
  if (!Number.isFinite(t) || !Number.isFinite(v)) return { target, actual: value, rate: null, achieved: null };
  let rate: number;
  if (kpi.direction === 'lower') {
    rate = v === 0 ? 100 : t <= 0 ? 0 : (t / v) * 100;
    return { target, actual: value, rate: round1(rate), achieved: v <= t };
  }
  rate = t === 0 ? (v >= 0 ? 100 : 0) : (v / t) * 100;
  return { target, actual: value, rate: round1(rate), achieved: v >= t };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Some KPI with a target this year has an actual that misses it. */
export function anyKpiShortfall(kpis: readonly KpiDefinition[], fiscalYear: number, actuals: readonly KpiActual[] | null | undefined): boolean {
  const byId = new Map((actuals ?? []).map((a) => [a.kpiId, a.actual]));
  return kpis.some((k) => kpiAchievement(k, fiscalYear, byId.get(k.id)).achieved === false);
}

/** "85.0%" for a rate, "達成"/"未達成" for a milestone, "" when unknown. */
export function formatAchievement(kind: KpiKind, a: KpiAchievement): string {
  if (a.achieved === null) return '';
  if (kind === 'milestone') return a.achieved ? '達成' : '未達成';
  return a.rate === null ? '' : `${a.rate.toFixed(1)}%`;
}
