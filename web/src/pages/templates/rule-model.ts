// 「必須」 and 「表示条件」 as the builder shows them: never, always, or when any of the domain's
// conditions holds. The JsonLogic is built and read by the domain (ruleOfConditions,
// conditionsOfRule); a rule made of anything else is shown as its JSON.
import { CONDITION_KINDS, conditionsOfRule, ruleOfConditions, type Condition, type Rule } from '../../../../libs/domain/src/forms/form-rule';

export type RulePurpose = 'required' | 'visible';
export type RuleMode = 'never' | 'always' | 'when' | 'custom';

export const MODE_LABELS: Record<RulePurpose, Record<Exclude<RuleMode, 'custom'>, string>> = {
  required: { never: '必須にしない', always: '常に必須', when: '次のいずれかのとき必須' },
  visible: { always: '常に表示', never: '表示しない', when: '次のいずれかのとき表示' },
};

export const MODE_ORDER: Record<RulePurpose, Exclude<RuleMode, 'custom'>[]> = {
  required: ['never', 'always', 'when'],
  visible: ['always', 'when', 'never'],
};

export interface ParsedRule {
  mode: RuleMode;
  conditions: Condition[];
}

/** Absent means never required, always shown. */
export function parseRule(rule: Rule | undefined, purpose: RulePurpose): ParsedRule {
  const absent = rule === undefined || rule === (purpose === 'required' ? false : true);
  if (absent) return { mode: purpose === 'required' ? 'never' : 'always', conditions: [] };
  if (rule === true) return { mode: 'always', conditions: [] };
  if (rule === false) return { mode: 'never', conditions: [] };
  const conditions = conditionsOfRule(rule);
  // One checkbox per kind: a rule naming a kind twice cannot be shown as checkboxes.
  if (!conditions || new Set(conditions.map((c) => c.kind)).size !== conditions.length) return { mode: 'custom', conditions: [] };
  return { mode: 'when', conditions };
}

/** The rule to store; "when" without a condition yet stores the absent rule (nothing changes). */
export function ruleOf(mode: Exclude<RuleMode, 'custom'>, conditions: Condition[], purpose: RulePurpose): Rule | undefined {
  if (mode === 'never') return purpose === 'required' ? undefined : false;
  if (mode === 'always') return purpose === 'required' ? true : undefined;
  if (conditions.length === 0) return undefined;
  const order = (c: Condition) => CONDITION_KINDS.indexOf(c.kind);
  return ruleOfConditions([...conditions].sort((a, b) => order(a) - order(b)));
}
