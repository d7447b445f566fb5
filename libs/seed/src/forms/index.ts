import { ACTION_PLAN, ACTION_PLAN_TEMPLATE } from './action-plan.form';
import { DEPARTMENT_GOALS_PLAN, DEPARTMENT_GOALS_TEMPLATE } from './department-goals.form';
import { PLEDGE_HALFYEAR_TEMPLATE, PLEDGE_MONTHLY_TEMPLATE } from './pledge-progress.form';
import { PLEDGE_STATUS_TEMPLATE } from './pledge-status.form';
import { PROGRAM_EVALUATION_PLAN, PROGRAM_EVALUATION_TEMPLATE } from './program-evaluation.form';
import type { SeedPlanDefinition, SeedTemplateDefinition } from './seed-form';

export * from './seed-form';
export * from './pledge-progress.form';
export * from './pledge-status.form';
export * from './action-plan.form';
export * from './department-goals.form';
export * from './program-evaluation.form';

/** Every template the demo ships, by the plan it belongs to (a pledge plan when absent here). */
export const SEED_TEMPLATES: SeedTemplateDefinition[] = [
  PLEDGE_MONTHLY_TEMPLATE,
  PLEDGE_HALFYEAR_TEMPLATE,
  PLEDGE_STATUS_TEMPLATE,
  ACTION_PLAN_TEMPLATE,
  DEPARTMENT_GOALS_TEMPLATE,
  PROGRAM_EVALUATION_TEMPLATE,
];

/** The plans with item attributes (the two pledge plans have none). */
export const SEED_FORM_PLANS: SeedPlanDefinition[] = [ACTION_PLAN, DEPARTMENT_GOALS_PLAN, PROGRAM_EVALUATION_PLAN];
