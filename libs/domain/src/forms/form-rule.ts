import jsonLogic from 'json-logic-js';

/**
 * A rule is a JsonLogic expression (jsonlogic.com), evaluated by json-logic-js against a
 * RuleContext. The same function runs in the API's validation and in the browser's form, so
 * a box appears exactly when the API will ask for it. `true` and `false` are rules too.
 */
export type Rule = boolean | { [operator: string]: unknown };

/** What a rule can read. `values` holds the form's own fields, `item` the item's attributes. */
export interface RuleContext {
  rating: string | null;
  previousRating: string | null;
  /** The rating is one the scale asks a reason for (△, ×, D, 未達成). */
  ratingNeedsReason: boolean;
  /** The rating is worse than the previous cycle's. */
  worsened: boolean;
  /** Some KPI actual misses its target for the cycle's fiscal year (direction-aware). */
  kpiShortfall: boolean;
  values: Record<string, unknown>;
  item: Record<string, unknown>;
}

export const RULE_FLAGS = ['ratingNeedsReason', 'worsened', 'kpiShortfall'] as const;
const CONTEXT_VARS = new Set(['rating', 'previousRating', ...RULE_FLAGS]);

/** Operators a stored rule may use: comparisons and logic, nothing that loops or builds data. */
const OPERATORS = new Set(['var', 'and', 'or', '!', '!!', '==', '!=', '===', '!==', 'in', '<', '<=', '>', '>=', 'if']);

export function evaluateRule(rule: Rule | undefined, context: RuleContext, fallback: boolean): boolean {
  if (rule === undefined || rule === null) return fallback;
  if (typeof rule === 'boolean') return rule;
  return jsonLogic.truthy(jsonLogic.apply(rule as jsonLogic.RulesLogic, context as unknown as Record<string, unknown>));
}

/**
 * Problems of a rule, in Japanese: unknown operators, variables that name no field. `keys`
 * are the form's field keys, `itemKeys` the plan's item attributes.
 */
export function validateRule(rule: unknown, keys: ReadonlySet<string>, itemKeys: ReadonlySet<string>, where: string): string[] {
  const errors: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 12) {
      errors.push(`${where}の条件が深すぎます`);
      return;
    }
    if (node === null || ['string', 'number', 'boolean'].includes(typeof node)) return;
    if (Array.isArray(node)) {
      node.forEach((n) => walk(n, depth + 1));
      return;
    }
    if (typeof node !== 'object') {
      errors.push(`${where}の条件の形式が正しくありません`);
      return;
    }
    const ops = Object.keys(node as object);
    if (ops.length !== 1) {
      errors.push(`${where}の条件は演算子を1つずつ指定してください`);
      return;
    }
    const op = ops[0];
    const arg = (node as Record<string, unknown>)[op];
    if (!OPERATORS.has(op)) {
      errors.push(`${where}の条件に使用できない演算子「${op}」があります`);
      return;
    }
    if (op === 'var') {
      const name = Array.isArray(arg) ? arg[0] : arg;
      if (typeof name !== 'string' || !knownVar(name, keys, itemKeys)) {
        errors.push(`${where}の条件が存在しない項目「${String(name)}」を参照しています`);
      }
      return;
    }
    walk(arg, depth + 1);
  };
  if (typeof rule !== 'boolean') walk(rule, 0);
  return errors;
}

function knownVar(name: string, keys: ReadonlySet<string>, itemKeys: ReadonlySet<string>): boolean {
  if (CONTEXT_VARS.has(name)) return true;
  const [head, key, ...rest] = name.split('.');
  if (rest.length > 0 || !key) return false;
  return (head === 'values' && keys.has(key)) || (head === 'item' && itemKeys.has(key));
}

/**
 * The conditions the no-code builder offers; a rule made of them (any one holding) is shown
 * as a list of checkboxes, any other rule as its JSON.
 */
export type Condition =
  | { kind: 'rating_needs_reason' }
  | { kind: 'worsened' }
  | { kind: 'kpi_shortfall' }
  | { kind: 'rating_in'; values: string[] }
  | { kind: 'field_filled'; key: string }
  | { kind: 'field_equals'; key: string; value: string | boolean };

export const CONDITION_KINDS = ['rating_needs_reason', 'worsened', 'kpi_shortfall', 'rating_in', 'field_filled', 'field_equals'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const CONDITION_LABELS: Record<ConditionKind, string> = {
  rating_needs_reason: '評価が理由を要する段階のとき',
  worsened: '評価が前回より下がったとき',
  kpi_shortfall: '指標の実績が目標に達していないとき',
  rating_in: '評価が次のいずれかのとき',
  field_filled: '次の項目が入力されているとき',
  field_equals: '次の項目が次の値のとき',
};

function conditionLogic(c: Condition): Rule {
  switch (c.kind) {
    case 'rating_needs_reason':
      return { var: 'ratingNeedsReason' };
    case 'worsened':
      return { var: 'worsened' };
    case 'kpi_shortfall':
      return { var: 'kpiShortfall' };
    case 'rating_in':
      return { in: [{ var: 'rating' }, c.values] };
    case 'field_filled':
      // Not `!!`: a number 0 (FTE 0.0) is a value. Empty text and lists are stored as null.
      return { '!=': [{ var: `values.${c.key}` }, null] };
    case 'field_equals':
      // A multiple choice holds a list: "is one of the chosen" reads the same with `in`.
      return typeof c.value === 'boolean' ? { '==': [{ var: `values.${c.key}` }, c.value] } : { in: [c.value, { var: `values.${c.key}` }] };
  }
}

/** A rule that holds when any of the conditions does; no condition = false. */
export function ruleOfConditions(conditions: Condition[]): Rule {
  if (conditions.length === 0) return false;
  const parts = conditions.map(conditionLogic);
  return parts.length === 1 ? parts[0] : { or: parts };
}

/** The builder's conditions of a rule, or null when the rule is not made of them. */
export function conditionsOfRule(rule: Rule | undefined): Condition[] | null {
  if (rule === undefined || rule === false) return [];
  if (rule === true) return null;
  const parts = 'or' in rule && Array.isArray(rule.or) ? (rule.or as Rule[]) : [rule];
  const out: Condition[] = [];
  for (const p of parts) {
    const c = conditionOf(p);
    if (!c) return null;
    out.push(c);
  }
  return out;
}

function varName(node: unknown): string | null {
  if (node && typeof node === 'object' && 'var' in node && typeof (node as { var: unknown }).var === 'string') return (node as { var: string }).var;
  return null;
}

function conditionOf(p: Rule): Condition | null {
  if (typeof p !== 'object') return null;
  const v = varName(p);
  if (v === 'ratingNeedsReason') return { kind: 'rating_needs_reason' };
  if (v === 'worsened') return { kind: 'worsened' };
  if (v === 'kpiShortfall') return { kind: 'kpi_shortfall' };
  if ('in' in p && Array.isArray(p.in) && p.in.length === 2) {
    const [a, b] = p.in as unknown[];
    if (varName(a) === 'rating' && Array.isArray(b) && b.every((x) => typeof x === 'string')) return { kind: 'rating_in', values: b as string[] };
    const name = varName(b);
    if (typeof a === 'string' && name?.startsWith('values.')) return { kind: 'field_equals', key: name.slice(7), value: a };
  }
  if ('!=' in p && Array.isArray(p['!=']) && p['!='].length === 2 && p['!='][1] === null) {
    const name = varName(p['!='][0]);
    if (name?.startsWith('values.')) return { kind: 'field_filled', key: name.slice(7) };
  }
  if ('==' in p && Array.isArray(p['==']) && p['=='].length === 2) {
    const [a, b] = p['=='] as unknown[];
    const name = varName(a);
    if (name?.startsWith('values.') && typeof b === 'boolean') return { kind: 'field_equals', key: name.slice(7), value: b };
  }
  return null;
}

/** The rule the built-in reason field has always had: a reason rating, or a worse one. */
export const REASON_NEEDED_RULE: Rule = ruleOfConditions([{ kind: 'rating_needs_reason' }, { kind: 'worsened' }]);

/** Whether a value counts as given: blank text, an empty list and null do not. */
export function hasValue(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}
