import { csvLine, UTF8_BOM } from '@app/common';
import { eraYearLabel, fiscalYearOf, FormField, KPI_DIRECTION_LABELS, KPI_KIND_LABELS, tokyoToday } from '@app/domain';

/**
 * The template users download: a BOM so Excel opens it as UTF-8, the header and one example.
 * Two KPIs with this fiscal year's target, the evaluator and budget, then the plan's attributes
 * (per-year ones for this fiscal year; more years are more columns of the same form).
 */
export function importTemplateCsv(fields: readonly FormField[] = [], fiscalYear = fiscalYearOf(tokyoToday())): string {
  const year = eraYearLabel(fiscalYear);
  const header = [
    '番号',
    '枝番',
    '章',
    '分類',
    '名称',
    '内容',
    '目標期日',
    '所管課',
    '指標',
    '単位',
    '指標の種類',
    '指標の方向',
    `指標の目標(${year})`,
    '指標2',
    '指標2の単位',
    '指標2の種類',
    '指標2の方向',
    `指標2の目標(${year})`,
    '評価者',
    '予算額(千円)',
    ...fields.map((f) => (f.perYear ? `${f.label}(${year})` : f.label)),
  ];
  const example = [
    '1',
    '',
    '第1章 子育て',
    '子育て',
    '18歳までの医療費完全無料化',
    '子どもの医療費を助成する',
    'R6.10',
    'こども支援課・保育幼稚園課',
    '助成対象年齢',
    '歳',
    KPI_KIND_LABELS.numeric,
    KPI_DIRECTION_LABELS.higher,
    '18',
    '制度の周知',
    '',
    KPI_KIND_LABELS.milestone,
    '',
    '全戸配布完了',
    '',
    '',
    ...fields.map(() => ''),
  ];
  return UTF8_BOM + csvLine(header) + csvLine(example);
}
