/**
 * What a plan is: its items are what a kind of report evaluates. The A–D pledge status list
 * reports on the pledge plan's items with another template, so it is no kind of its own.
 */
export const PLAN_KINDS = ['pledge', 'program', 'goal', 'evaluation'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const PLAN_KIND_LABELS: Record<PlanKind, string> = {
  pledge: '市長公約',
  program: '実施計画・アクションプラン',
  goal: '部の目標',
  evaluation: '事務事業評価',
};
