/** When a 機構改革 file applies, from its rows' 施行日 and the mode asked for. */
export type ReformTiming = { effectiveDate: string; now: boolean } | { error: string };

/**
 * `now`: at once, dated by the latest 施行日. `on_date`: at once too when every 施行日 has come
 * (the worker would apply it within the minute), else on its 施行日 — one date for the whole
 * file, as its rows run in order and may name what an earlier row creates.
 */
export function reformTiming(dates: readonly string[], mode: 'now' | 'on_date', today: string): ReformTiming {
  const distinct = [...new Set(dates)].sort();
  if (!distinct.length) return { error: '施行日のある行がありません' };
  const latest = distinct[distinct.length - 1];
  if (mode === 'now' || latest <= today) return { effectiveDate: latest, now: true };
  if (distinct.length > 1) return { error: `施行日に適用する機構改革は、全ての行を同じ施行日にしてください（${distinct.join('、')}）` };
  return { effectiveDate: latest, now: false };
}
