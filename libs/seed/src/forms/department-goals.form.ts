import type { SeedPlanDefinition, SeedTemplateDefinition } from './seed-form';

export const DEPARTMENT_GOALS_CODE = 'department-goals-2024';

export const DEPARTMENT_GOALS_PLAN: SeedPlanDefinition = {
  code: DEPARTMENT_GOALS_CODE,
  name: '部長目標(令和6年度)',
  kind: 'goal',
  itemFields: [],
};

/**
 * The department heads' goals (department-goals-results.txt): each goal gets its result
 * (達成・着手・未達成) and may say more; 基本方針, 部の仕事 and 総括 are written once per
 * department and printed with the head's name. The department's lead section (see
 * organisation.json, departmentGoalSections) writes the entries for its head; the head
 * approves them as the evaluator, then the planning division.
 */
export const DEPARTMENT_GOALS_TEMPLATE: SeedTemplateDefinition = {
  code: 'department-goals',
  name: '部長目標',
  planCode: DEPARTMENT_GOALS_CODE,
  periodType: 'fiscal_year',
  scaleCode: 'goal3',
  layout: 'list',
  fields: [
    { key: 'basicPolicy', label: '基本方針', type: 'long_text', scope: 'department' },
    { key: 'departmentWork', label: '部の仕事', type: 'long_text', scope: 'department' },
    { key: 'rating', label: '結果', type: 'rating', scope: 'entry', help: '達成・着手・未達成' },
    { key: 'note', label: '説明', type: 'long_text', scope: 'entry' },
    { key: 'summary', label: '総括', type: 'long_text', scope: 'department', required: true },
  ],
  approvalRoute: [
    { kind: 'evaluator', label: '部長' },
    { kind: 'planning', label: '企画担当' },
  ],
};
