import { ENTRY_STATE_LABELS, findOption, RatingScale } from '@app/domain';
import { tokyoDate } from './domain/era-date';
import type { ReportRow } from './report-data.service';

export interface ListColumn {
  header: string;
  width: number;
  value: (row: ReportRow, scale: RatingScale) => string | number;
}

const text = (v: string | null | undefined) => v ?? '';

/** The published columns: what the city prints (no workflow state, dates or names). */
export const PUBLIC_LIST_COLUMNS: ListColumn[] = [
  { header: 'No.', width: 6, value: (r) => r.number },
  { header: '枝番', width: 6, value: (r) => r.subNumber },
  { header: '章', width: 16, value: (r) => text(r.chapter) },
  { header: '項目', width: 40, value: (r) => r.title },
  { header: '所管課', width: 16, value: (r) => r.sectionName },
  { header: '評価', width: 8, value: (r, scale) => findOption(scale, r.rating)?.symbol ?? text(r.rating) },
  { header: '進捗状況', width: 60, value: (r) => text(r.progress) },
  { header: '理由', width: 40, value: (r) => text(r.reason) },
  { header: '今後の取組', width: 40, value: (r) => text(r.nextSteps) },
];

/** The internal list (一覧) adds the workflow: state, dates and the 代決 flag. */
export const INTERNAL_LIST_COLUMNS: ListColumn[] = [
  ...PUBLIC_LIST_COLUMNS,
  { header: '状態', width: 8, value: (r) => ENTRY_STATE_LABELS[r.state] ?? r.state },
  { header: '提出日', width: 12, value: (r) => tokyoDate(r.submittedAt) },
  { header: '承認日', width: 12, value: (r) => tokyoDate(r.acceptedAt) },
  { header: '代決', width: 6, value: (r) => (r.acting ? '代決' : '') },
];
