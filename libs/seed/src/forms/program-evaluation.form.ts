import { DIRECTION_OPTIONS, ruleOfConditions, SDGS_OPTIONS, type FormField, type RatingScale } from '@app/domain';
import type { SeedPlanDefinition, SeedTemplateDefinition } from './seed-form';

export const PROGRAM_EVALUATION_CODE = 'program-evaluation-demo';

/** 総合評価 of the program evaluation sheet: a custom scale, created through RatingScalesService. */
export const ABC3_SCALE: RatingScale = {
  code: 'abc3',
  name: '総合評価3段階(ABC)',
  options: [
    { value: 'A', symbol: 'A', label: '順調(目標を達成し成果が上がっている)', ordinal: 3 },
    { value: 'B', symbol: 'B', label: '概ね順調(一部に課題がある)', ordinal: 2 },
    { value: 'C', symbol: 'C', label: '見直しが必要', ordinal: 1 },
  ],
  reasonRequiredFor: ['C'],
};

/** What the sheet prints about the program itself: edited on the item, read-only in the form. */
export const PROGRAM_ITEM_FIELDS: FormField[] = [
  { key: 'legalBasis', label: '根拠法令', type: 'short_text', scope: 'item' },
  { key: 'overview', label: '事業概要', type: 'long_text', scope: 'item' },
  { key: 'budget', label: '予算額', type: 'money', scope: 'item', unit: '千円', min: 0, perYear: true },
  { key: 'settlement', label: '決算額', type: 'money', scope: 'item', unit: '千円', min: 0, perYear: true },
  { key: 'staffRegular', label: '正規職員', type: 'number', scope: 'item', unit: '人', decimals: 2, min: 0, perYear: true },
  { key: 'staffOther', label: '会計年度任用職員等', type: 'number', scope: 'item', unit: '人', decimals: 2, min: 0, perYear: true },
  { key: 'sdgs', label: 'SDGs', type: 'multi_choice', scope: 'item', options: SDGS_OPTIONS, maxSelections: 3 },
  {
    key: 'classification',
    label: '分類',
    type: 'single_choice',
    scope: 'item',
    options: ['法定受託事務', '自治事務(法令により義務)', '自治事務(市の任意)'].map((v) => ({ value: v, label: v })),
  },
];

export const PROGRAM_EVALUATION_PLAN: SeedPlanDefinition = {
  code: PROGRAM_EVALUATION_CODE,
  name: '事務事業評価(デモ用の架空の事業)',
  kind: 'evaluation',
  itemFields: PROGRAM_ITEM_FIELDS,
};

const SHORTFALL = ruleOfConditions([{ kind: 'kpi_shortfall' }]);

/** The program evaluation sheet (事務事業評価), one A4 sheet per program. */
export const PROGRAM_EVALUATION_TEMPLATE: SeedTemplateDefinition = {
  code: 'program-evaluation',
  name: '事務事業評価',
  planCode: PROGRAM_EVALUATION_CODE,
  periodType: 'fiscal_year',
  scaleCode: ABC3_SCALE.code,
  layout: 'sheet',
  fields: [
    { key: 'kpiActuals', label: '活動・成果指標', type: 'kpi_table', scope: 'entry', required: true },
    { key: 'shortfallReason', label: '目標値が未達成の理由・分析', type: 'long_text', scope: 'entry', required: SHORTFALL, visible: SHORTFALL },
    { key: 'improvements', label: '今年度の改善内容', type: 'long_text', scope: 'entry' },
    { key: 'issues', label: '今後の課題', type: 'long_text', scope: 'entry' },
    { key: 'rating', label: '総合評価', type: 'rating', scope: 'entry', help: 'A 順調 B 概ね順調 C 見直しが必要' },
    { key: 'reason', label: '評価の理由', type: 'long_text', scope: 'entry', required: true },
    { key: 'direction', label: '事業の方向性', type: 'single_choice', scope: 'entry', options: DIRECTION_OPTIONS, required: true },
  ],
};
