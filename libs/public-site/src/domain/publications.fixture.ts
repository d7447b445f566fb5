import type { PublicSnapshot, PublishedVersion, SnapshotEntry } from '@app/reports';

/** A publication for the unit specs: an ABCD cycle of one plan with the given entries. */
export function version(o: {
  cycleId: number;
  version?: number;
  at: string;
  period: [string, string, number, string];
  entries: Partial<SnapshotEntry>[];
}): PublishedVersion {
  const [periodStart, periodEnd, fiscalYear, shortLabel] = o.period;
  const snapshot: PublicSnapshot = {
    format: 1,
    plan: { id: 1, name: '市長公約' },
    template: { id: 1, name: '市長公約 半期進捗', periodType: 'half_year' },
    cycle: {
      id: o.cycleId,
      label: '',
      periodKey: '',
      periodLabel: `令和${fiscalYear - 2018}年度 ${shortLabel}`,
      shortLabel,
      periodStart,
      periodEnd,
      fiscalYear,
      fiscalYearLabel: '',
    },
    scale: {
      code: 'abcd',
      name: 'ABCD',
      options: [
        { value: 'A', symbol: 'A', label: '完了', ordinal: 3 },
        { value: 'B', symbol: 'B', label: '実施中', ordinal: 2 },
        { value: 'C', symbol: 'C', label: '着手', ordinal: 1 },
        { value: 'D', symbol: 'D', label: '未着手', ordinal: 0 },
      ],
    },
    fieldLabels: ['進捗状況'],
    entries: o.entries.map((e) => ({
      itemId: 1,
      sectionId: 1,
      number: String(e.numberValue ?? 1) + (e.subNumber ? `-${e.subNumber}` : ''),
      numberValue: 1,
      subNumber: '',
      chapter: null,
      category: null,
      title: `項目${e.itemId ?? 1}`,
      content: null,
      targetDateText: null,
      sectionName: 'こども支援課',
      reported: true,
      rating: 'B',
      fields: [],
      kpis: [],
      ...e,
    })),
  };
  return { cycleId: o.cycleId, version: o.version ?? 1, publishedAt: new Date(o.at), snapshot };
}

export const H1_2024: [string, string, number, string] = ['2024-04-01', '2024-09-30', 2024, '上半期'];
export const H2_2024: [string, string, number, string] = ['2024-10-01', '2025-03-31', 2024, '下半期'];
export const MAR_2025: [string, string, number, string] = ['2025-03-01', '2025-03-31', 2024, '3月'];
export const H1_2025: [string, string, number, string] = ['2025-04-01', '2025-09-30', 2025, '上半期'];
