/** One name a section or department held, with the days it was valid (validTo null: still valid). */
export interface NamePeriod {
  name: string;
  validFrom: string;
  validTo: string | null;
}

/**
 * The name a renamed unit is printed under for a period ending on `day` (YYYY-MM-DD): the name
 * valid that day; a unit created after it reads as its earliest recorded name; without any
 * history, the current name. The same rule as the reports' section names (report-rows.sql.ts).
 */
export function nameValidOn(history: readonly NamePeriod[], day: string, currentName: string): string {
  const sorted = [...history].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  const valid = sorted.find((p) => p.validFrom <= day && (p.validTo === null || p.validTo >= day));
  return (valid ?? sorted[0])?.name ?? currentName;
}
