/** The calendar date in Japan (UTC+9, no daylight saving) of an instant, as 'YYYY-MM-DD'. */
export function tokyoToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}
