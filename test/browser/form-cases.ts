import type { KpiDefinition } from '../../libs/domain/src/forms/kpi';

/** Numbers as clerks type them. */
export const NUMBER_CASES = ['１，２３４', '1,234.5', '－３', '０．２５', '12円', '1.234', ' 42 '];

const higher: KpiDefinition = { id: 1, name: '参加者数', unit: '人', kind: 'numeric', direction: 'higher', targets: { '2024': 200 } };
const lower: KpiDefinition = { id: 2, name: '事故件数', unit: '件', kind: 'numeric', direction: 'lower', targets: { '2024': 10 } };
const milestone: KpiDefinition = { id: 3, name: '計画策定', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '策定完了' } };

export const KPI_CASES: [KpiDefinition, number | string | null][] = [
  [higher, 170],
  [higher, 250],
  [lower, 8],
  [lower, 20],
  [lower, 0],
  [milestone, '策定完了'],
  [milestone, '素案作成'],
  [milestone, null],
];
