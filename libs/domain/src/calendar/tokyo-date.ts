/** The calendar date in Japan (UTC+9, no daylight saving) of an instant, as 'YYYY-MM-DD'. */
export function tokyoToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** 'HH:MM' or 'HH:MM:SS', a time of day. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * The latest instant at or before `now` whose Tokyo wall-clock time is `time` ('HH:MM' or
 * 'HH:MM:SS'): when a daily job at that time was last due.
 */
export function lastTokyoTimeOfDay(time: string, now: Date = new Date()): Date {
  const match = TIME_OF_DAY.exec(time);
  if (!match) throw new Error(`not a time of day: ${time}`);
  const [, h, m, s] = match;
  const today = new Date(`${tokyoToday(now)}T${h}:${m}:${s ?? '00'}+09:00`);
  return today.getTime() <= now.getTime() ? today : new Date(today.getTime() - 24 * 3600_000);
}
