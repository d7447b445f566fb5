import { REASON_NEEDED_RULE, type FormField } from '@app/domain';
import type { SeedTemplateDefinition } from './seed-form';

export const PLEDGE_PLAN_CODE = 'pledges-2023';

/**
 * The mayor's pledges, monthly and half-yearly: the rows of the published monthly report
 * (pledge-progress-monthly.txt) — 年度目標, 計画(短期目標), the ☆○△× mark printed in its
 * 「指標」 row, 進捗状況 — plus the item's KPIs when it has any, and the reason the engine has
 * always asked for △/× or a rating worse than last time.
 */
export const PLEDGE_PROGRESS_FIELDS: FormField[] = [
  { key: 'fiscalGoal', label: '年度目標', type: 'long_text', scope: 'entry' },
  { key: 'shortTermPlan', label: '計画(短期目標)', type: 'long_text', scope: 'entry', help: '月ごと・四半期ごとの計画。前回の内容が引き継がれます。' },
  {
    key: 'rating',
    label: '進捗(指標)',
    type: 'rating',
    scope: 'entry',
    help: '☆ 実施済み・目標達成 ○ 計画どおり進行中 △ 計画より遅れている × 未着手・断念(公表資料の「指標」欄の記号)',
  },
  { key: 'kpiActuals', label: '指標', type: 'kpi_table', scope: 'entry', help: '項目に数値目標(KPI)がある場合の実績' },
  { key: 'progress', label: '進捗状況', type: 'long_text', scope: 'entry', required: true },
  { key: 'reason', label: '理由', type: 'long_text', scope: 'entry', help: '△・×の場合、または前回より評価が下がった場合は必須', required: REASON_NEEDED_RULE },
];

export const PLEDGE_MONTHLY_TEMPLATE: SeedTemplateDefinition = {
  code: 'pledge-monthly',
  name: '市長公約 月次進捗',
  planCode: PLEDGE_PLAN_CODE,
  periodType: 'monthly',
  scaleCode: 'progress4',
  layout: 'list',
  fields: PLEDGE_PROGRESS_FIELDS,
};

export const PLEDGE_HALFYEAR_TEMPLATE: SeedTemplateDefinition = {
  code: 'pledge-halfyear',
  name: '市長公約 半期進捗',
  planCode: PLEDGE_PLAN_CODE,
  periodType: 'half_year',
  scaleCode: 'progress4',
  layout: 'list',
  fields: PLEDGE_PROGRESS_FIELDS,
};
