import type { RuleContext } from './form-rule';
import { REASON_NEEDED_RULE, ruleOfConditions, Rule } from './form-rule';

/**
 * Cases run by the domain's unit spec in Node and by the browser suite in Chromium against
 * the same evaluateRule: a rule must mean the same on both sides.
 */
export interface RuleCase {
  name: string;
  rule: Rule;
  context: Partial<RuleContext>;
  expected: boolean;
}

const base: RuleContext = {
  rating: null,
  previousRating: null,
  ratingNeedsReason: false,
  worsened: false,
  kpiShortfall: false,
  values: {},
  item: {},
};

export const contextOf = (c: Partial<RuleContext>): RuleContext => ({ ...base, ...c, values: { ...c.values }, item: { ...c.item } });

export const RULE_CASES: RuleCase[] = [
  { name: 'always', rule: true, context: {}, expected: true },
  { name: 'never', rule: false, context: { rating: '×' }, expected: false },
  { name: 'reason rule, reason rating', rule: REASON_NEEDED_RULE, context: { rating: '△', ratingNeedsReason: true }, expected: true },
  { name: 'reason rule, worsened', rule: REASON_NEEDED_RULE, context: { rating: '○', previousRating: '☆', worsened: true }, expected: true },
  { name: 'reason rule, good rating', rule: REASON_NEEDED_RULE, context: { rating: '○' }, expected: false },
  { name: 'rating in set', rule: ruleOfConditions([{ kind: 'rating_in', values: ['C', 'D'] }]), context: { rating: 'C' }, expected: true },
  { name: 'rating not in set', rule: ruleOfConditions([{ kind: 'rating_in', values: ['C', 'D'] }]), context: { rating: 'A' }, expected: false },
  { name: 'rating in set, no rating', rule: ruleOfConditions([{ kind: 'rating_in', values: ['C'] }]), context: {}, expected: false },
  { name: 'kpi shortfall', rule: ruleOfConditions([{ kind: 'kpi_shortfall' }]), context: { kpiShortfall: true }, expected: true },
  { name: 'kpi met', rule: ruleOfConditions([{ kind: 'kpi_shortfall' }]), context: { kpiShortfall: false }, expected: false },
  { name: 'field filled', rule: ruleOfConditions([{ kind: 'field_filled', key: 'plan' }]), context: { values: { plan: '検討' } }, expected: true },
  { name: 'field null', rule: ruleOfConditions([{ kind: 'field_filled', key: 'plan' }]), context: { values: { plan: null } }, expected: false },
  {
    name: 'field empty list (stored as null)',
    rule: ruleOfConditions([{ kind: 'field_filled', key: 'sdgs' }]),
    context: { values: { sdgs: null } },
    expected: false,
  },
  { name: 'field zero is a value', rule: ruleOfConditions([{ kind: 'field_filled', key: 'fte' }]), context: { values: { fte: 0 } }, expected: true },
  {
    name: 'choice equals',
    rule: ruleOfConditions([{ kind: 'field_equals', key: 'direction', value: '廃止' }]),
    context: { values: { direction: '廃止' } },
    expected: true,
  },
  {
    name: 'choice differs',
    rule: ruleOfConditions([{ kind: 'field_equals', key: 'direction', value: '廃止' }]),
    context: { values: { direction: '継続' } },
    expected: false,
  },
  {
    name: 'multi choice contains',
    rule: ruleOfConditions([{ kind: 'field_equals', key: 'sdgs', value: '11' }]),
    context: { values: { sdgs: ['3', '11'] } },
    expected: true,
  },
  {
    name: 'multi choice lacks',
    rule: ruleOfConditions([{ kind: 'field_equals', key: 'sdgs', value: '1' }]),
    context: { values: { sdgs: ['3', '11'] } },
    expected: false,
  },
  {
    name: 'yes/no true',
    rule: ruleOfConditions([{ kind: 'field_equals', key: 'shared', value: true }]),
    context: { values: { shared: true } },
    expected: true,
  },
  {
    name: 'yes/no unset',
    rule: ruleOfConditions([{ kind: 'field_equals', key: 'shared', value: true }]),
    context: { values: { shared: null } },
    expected: false,
  },
  {
    name: 'any of two, second holds',
    rule: ruleOfConditions([{ kind: 'rating_in', values: ['×'] }, { kind: 'kpi_shortfall' }]),
    context: { rating: '○', kpiShortfall: true },
    expected: true,
  },
  {
    name: 'hand-written and',
    rule: { and: [{ var: 'worsened' }, { '!': { var: 'values.reason' } }] },
    context: { worsened: true, values: { reason: null } },
    expected: true,
  },
  { name: 'item attribute compared', rule: { '>': [{ var: 'item.budget' }, 1000] }, context: { item: { budget: 1500 } }, expected: true },
];
