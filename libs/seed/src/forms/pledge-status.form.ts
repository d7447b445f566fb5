import { ruleOfConditions } from '@app/domain';
import type { SeedTemplateDefinition } from './seed-form';

export const STATUS_PLAN_CODE = 'pledge-status';

const D_RATING = ruleOfConditions([{ kind: 'rating_needs_reason' }]);

/**
 * The A–D status list (pledge-status-abcd.txt): per sub-item the 内容 (the item's content),
 * 取組状況 and 評価 (A 完了 B 実施中 C 着手 D 未着手); a reason is asked for D only.
 */
export const PLEDGE_STATUS_TEMPLATE: SeedTemplateDefinition = {
  code: 'pledge-status-half',
  name: '市長公約 進捗状況(A〜D)',
  planCode: STATUS_PLAN_CODE,
  periodType: 'half_year',
  scaleCode: 'abcd',
  layout: 'list',
  fields: [
    { key: 'progress', label: '取組状況', type: 'long_text', scope: 'entry', required: true },
    { key: 'rating', label: '評価', type: 'rating', scope: 'entry', help: 'A 完了 B 実施中 C 着手 D 未着手' },
    { key: 'reason', label: '未着手の理由', type: 'long_text', scope: 'entry', required: D_RATING, visible: D_RATING },
  ],
};
