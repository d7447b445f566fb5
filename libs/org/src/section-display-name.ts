import { eraYearLabel, fiscalYearOf } from '@app/domain';

export interface SectionNamePeriod {
  name: string;
  validFrom: string;
  validTo: string | null;
}

/**
 * The name shown for a renamed section, as the reports print it:
 * '情報政策課(令和4年度より。旧 情報管理課)'. Without an earlier name it is the name alone.
 * `history` is ordered oldest first; the last entry is the current name.
 */
export function sectionDisplayName(history: SectionNamePeriod[], currentName: string): string {
  if (history.length < 2) return currentName;
  const current = history[history.length - 1];
  const previous = history[history.length - 2];
  if (previous.name === current.name) return currentName;
  return `${currentName}(${eraYearLabel(fiscalYearOf(current.validFrom))}より。旧 ${previous.name})`;
}
