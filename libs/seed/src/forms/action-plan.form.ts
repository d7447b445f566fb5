import { ruleOfConditions, type FormField } from '@app/domain';
import type { SeedPlanDefinition, SeedTemplateDefinition } from './seed-form';

export const ACTION_PLAN_CODE = 'action-plan-r3-r6';

/** What the plan says of each program, once for the four years (one sheet per program). */
export const ACTION_PLAN_ITEM_FIELDS: FormField[] = [
  { key: 'purpose', label: '課題・目的', type: 'long_text', scope: 'item' },
  { key: 'actions', label: '取組事項', type: 'long_text', scope: 'item' },
  { key: 'yearlyPlan', label: '年次計画', type: 'long_text', scope: 'item', perYear: true, help: '令和3～6年度の各年度の計画(「→」は前年度に同じ)' },
];

export const ACTION_PLAN: SeedPlanDefinition = {
  code: ACTION_PLAN_CODE,
  name: '第六次行財政改革アクションプラン(令和3～6年度)',
  kind: 'program',
  itemFields: ACTION_PLAN_ITEM_FIELDS,
};

const NOT_STARTED_OR_STOPPED = ruleOfConditions([{ kind: 'rating_in', values: ['△', '×'] }]);

/**
 * The yearly status sheet (action-plan-yearly.txt): 実施状況 ◎ 完了 ○ 実施中 △ 未着手 × 中止,
 * the year's work against the plan, and 未着手・中止の理由 shown and required for △ and ×.
 */
export const ACTION_PLAN_TEMPLATE: SeedTemplateDefinition = {
  code: 'action-plan-yearly',
  name: '行財政改革アクションプラン 実施状況',
  planCode: ACTION_PLAN_CODE,
  periodType: 'fiscal_year',
  scaleCode: 'action4',
  layout: 'sheet',
  fields: [
    { key: 'rating', label: '実施状況', type: 'rating', scope: 'entry', help: '完了：◎ 実施中：○ 未着手：△ 中止：×' },
    { key: 'progress', label: '目標に対する1年間の取組状況、課題及び今後の予定', type: 'long_text', scope: 'entry', required: true },
    { key: 'reason', label: '未着手・中止の理由', type: 'long_text', scope: 'entry', required: NOT_STARTED_OR_STOPPED, visible: NOT_STARTED_OR_STOPPED },
  ],
};
