// The builder's working copy of a template, and its conversion to and from the API's shape.
// Field types, scopes, built-in fields, rules and their validation are the domain's own
// (libs/domain): the browser names a mistake with the very messages the API would return.
import {
  BUILTIN_ENTRY_KEYS,
  BUILTIN_KEY_TYPES,
  FIELD_TYPE_LABELS,
  isBuiltinEntryKey,
  type BuiltinEntryKey,
  type FieldType,
  type FormField,
  type FormLayout,
  BUILTIN_ONLY_FIELD_TYPES,
} from '../../../../libs/domain/src/forms/form-field';
import { DEFAULT_FORM, normaliseField, normaliseForm, validateFormDefinition } from '../../../../libs/domain/src/forms/form-definition';
import type { Rule } from '../../../../libs/domain/src/forms/form-rule';
import type { PeriodType } from '../../../../libs/domain/src/periods/period';
import { DEFAULT_RETENTION_CLASS, type RetentionClass } from '../../../../libs/domain/src/records/retention';
import {
  APPROVAL_STEP_KIND_LABELS,
  APPROVAL_STEP_KINDS,
  DEFAULT_APPROVAL_OPTIONS,
  FALLBACK_CHAIN_CHOICES,
  NEW_TEMPLATE_ROUTE_KINDS,
  fallbackChainText,
  type CoApprovalDef,
  type FallbackApproverKind,
} from '../../../../libs/domain/src/workflow/approval-steps';
import type { ApprovalStep, Cycle, Template } from '../../types';

/** Reminder schedule as the API stores it (libs/domain/src/reminders). */
export interface ReminderScheduleValue {
  beforeBusinessDays: number[];
  onDeadline: boolean;
  overdueEveryBusinessDays: number;
  overdueMaxCount: number;
}

/** GET /api/templates/:id: the template with its whole form. */
export interface TemplateRecord extends Omit<Template, 'fields' | 'periodType'> {
  periodType: PeriodType;
  fields: FormField[];
  layout: FormLayout;
  spanYears: number | null;
  firstFiscalYear: number | null;
  reminderSchedule: ReminderScheduleValue;
}

/** GET /api/cycles?templateId=…: a cycle with what it kept of its template (null while draft). */
export type CycleRecord = Cycle;

export type StepKind = ApprovalStep['kind'];
export const STEP_KINDS: readonly StepKind[] = APPROVAL_STEP_KINDS;
export const STEP_KIND_LABELS: Record<StepKind, string> = APPROVAL_STEP_KIND_LABELS;

/** The fallback chains a template may name (each reaches planning, so no step waits for nobody). */
export const FALLBACK_CHAINS: readonly { value: string; chain: FallbackApproverKind[]; label: string }[] = FALLBACK_CHAIN_CHOICES.map((chain) => ({
  value: chain.join(','),
  chain: [...chain],
  label: fallbackChainText(chain),
}));

/** The approval route's size the API accepts (CreateTemplateDto). */
export const MAX_APPROVAL_STEPS = 5;

/** Types kept in a built-in column only: validateFormDefinition refuses them under any other key. */
export const BUILTIN_ONLY_TYPES: readonly FieldType[] = BUILTIN_ONLY_FIELD_TYPES;
export const CUSTOM_FIELD_TYPES = (Object.keys(FIELD_TYPE_LABELS) as FieldType[]).filter((t) => !BUILTIN_ONLY_TYPES.includes(t));

export interface DraftField {
  /** Stable while the key is edited (React key, which field is open). */
  uid: string;
  /** A built-in field (its key and type fixed), told when it enters the draft rather than by its current key. */
  builtin: boolean;
  field: FormField;
}

export interface DraftStep {
  uid: string;
  kind: StepKind;
  label: string;
  /** 合議 only. */
  co?: CoApprovalDef;
}

/** A 合議 step's settings when the kind is first chosen: all of the item's other sections. */
export const NEW_CO: CoApprovalDef = { rule: 'all', parties: 'item_sections' };

/** Everything the editor holds; numbers as typed, converted when sent. */
export interface Draft {
  id: number | null;
  version: number | null;
  code: string;
  name: string;
  planId: string;
  periodType: PeriodType;
  spanYears: string;
  firstFiscalYear: string;
  autoOpen: boolean;
  retentionClass: RetentionClass;
  scaleCode: string;
  fields: DraftField[];
  layout: FormLayout;
  steps: DraftStep[];
  /** 職務分掌: one person approves at most one step of an entry. */
  segregation: boolean;
  fallbackApprovers: FallbackApproverKind[];
  /** 外部評価 after acceptance, and whether the next cycle must answer its 提言 before submitting. */
  externalReview: boolean;
  responseRequired: boolean;
  submissionOffsetDays: string;
  reviewOffsetDays: string;
  reminderBefore: string;
  reminderOnDeadline: boolean;
  overdueEvery: string;
  overdueMax: string;
}

let counter = 0;
export const newUid = (): string => `u${++counter}`;

export const draftField = (field: FormField): DraftField => ({ uid: newUid(), builtin: isBuiltinEntryKey(field.key), field });
const draftStep = (s: ApprovalStep): DraftStep => ({ uid: newUid(), kind: s.kind, label: s.label, ...(s.co ? { co: structuredClone(s.co) } : {}) });

export function newDraft(planId: number | undefined, scaleCode: string): Draft {
  return {
    id: null,
    version: null,
    code: '',
    name: '',
    planId: planId ? String(planId) : '',
    periodType: 'monthly',
    spanYears: '4',
    firstFiscalYear: '',
    autoOpen: false,
    retentionClass: DEFAULT_RETENTION_CLASS,
    scaleCode,
    fields: DEFAULT_FORM.map((f) => draftField(structuredClone(f))),
    layout: 'list',
    steps: NEW_TEMPLATE_ROUTE_KINDS.map((kind) => draftStep({ kind, label: STEP_KIND_LABELS[kind] })),
    segregation: DEFAULT_APPROVAL_OPTIONS.segregation,
    fallbackApprovers: [...DEFAULT_APPROVAL_OPTIONS.fallbackApprovers],
    externalReview: false,
    responseRequired: false,
    submissionOffsetDays: '10',
    reviewOffsetDays: '20',
    reminderBefore: '7, 3',
    reminderOnDeadline: true,
    overdueEvery: '2',
    overdueMax: '5',
  };
}

export function draftOf(t: TemplateRecord): Draft {
  const r = t.reminderSchedule;
  return {
    id: t.id,
    version: t.version,
    code: t.code,
    name: t.name,
    planId: String(t.planId),
    periodType: t.periodType,
    spanYears: t.spanYears ? String(t.spanYears) : '4',
    firstFiscalYear: t.firstFiscalYear ? String(t.firstFiscalYear) : '',
    autoOpen: t.autoOpen,
    retentionClass: t.retentionClass ?? DEFAULT_RETENTION_CLASS,
    scaleCode: t.scaleCode,
    fields: normaliseForm(t.fields).map(draftField),
    layout: t.layout ?? 'list',
    steps: t.approvalRoute.map(draftStep),
    segregation: t.approvalOptions?.segregation ?? DEFAULT_APPROVAL_OPTIONS.segregation,
    fallbackApprovers: [...(t.approvalOptions?.fallbackApprovers ?? DEFAULT_APPROVAL_OPTIONS.fallbackApprovers)],
    externalReview: t.approvalOptions?.externalReview?.enabled ?? false,
    responseRequired: t.approvalOptions?.externalReview?.responseRequired ?? false,
    submissionOffsetDays: String(t.submissionOffsetDays),
    reviewOffsetDays: String(t.reviewOffsetDays),
    reminderBefore: r.beforeBusinessDays.join(', '),
    reminderOnDeadline: r.onDeadline,
    overdueEvery: String(r.overdueEveryBusinessDays),
    overdueMax: String(r.overdueMaxCount),
  };
}

const isChoice = (t: FieldType) => t === 'single_choice' || t === 'multi_choice';
const isText = (t: FieldType) => t === 'short_text' || t === 'long_text';
const isNumeric = (t: FieldType) => t === 'number' || t === 'money';

/** A field as sent: only what its type uses, no empty strings, rules only when they say something. */
export function cleanField(f: FormField): FormField {
  const out: FormField = { key: f.key.trim(), label: f.label.trim(), type: f.type, scope: f.scope };
  if (f.help?.trim()) out.help = f.help.trim();
  if (isChoice(f.type)) out.options = (f.options ?? []).map((o) => ({ value: o.value.trim(), label: o.label.trim() }));
  if (f.type === 'multi_choice' && f.maxSelections !== undefined) out.maxSelections = f.maxSelections;
  if (isText(f.type) && f.maxLength !== undefined) out.maxLength = f.maxLength;
  if (isNumeric(f.type)) {
    if (f.unit?.trim()) out.unit = f.unit.trim();
    for (const k of ['decimals', 'min', 'max'] as const) if (f[k] !== undefined) out[k] = f[k];
  }
  if (f.required !== undefined && f.required !== false) out.required = f.required;
  if (f.visible !== undefined && f.visible !== true) out.visible = f.visible;
  return out;
}

export const formOf = (d: Draft): FormField[] => d.fields.map((f) => cleanField(f.field));

/** `item.budget` and the like a hand-written rule reads: the API checks them against the plan. */
function itemKeysOf(fields: readonly FormField[]): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [op, arg] of Object.entries(node)) {
        const name = op === 'var' ? (Array.isArray(arg) ? arg[0] : arg) : null;
        if (typeof name === 'string' && name.startsWith('item.')) keys.add(name.slice(5));
        else walk(arg);
      }
    }
  };
  fields.forEach((f) => [f.required, f.visible].forEach(walk));
  return keys;
}

/**
 * The form's problems as the API would name them (validateFormDefinition on the normalised
 * form), against the plan's item attributes when they are known.
 */
export function problemsOf(d: Draft, plan?: { itemFields?: readonly FormField[] }): string[] {
  const fields = normaliseForm(formOf(d));
  const itemKeys = plan?.itemFields ? new Set(plan.itemFields.map((f) => f.key)) : itemKeysOf(fields);
  return validateFormDefinition(fields, itemKeys);
}

const int = (s: string) => Number.parseInt(s, 10);

/** The POST / PATCH body. */
export function bodyOf(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: d.name.trim(),
    planId: int(d.planId),
    periodType: d.periodType,
    scaleCode: d.scaleCode,
    fields: formOf(d),
    layout: d.layout,
    approvalRoute: d.steps.map((s) => ({
      kind: s.kind,
      label: s.label.trim(),
      ...(s.kind === 'co_approval' ? { co: { ...(s.co ?? NEW_CO), userIds: s.co?.parties === 'named' ? (s.co.userIds ?? []) : undefined } } : {}),
    })),
    approvalOptions: {
      segregation: d.segregation,
      fallbackApprovers: d.fallbackApprovers,
      externalReview: { enabled: d.externalReview, responseRequired: d.externalReview && d.responseRequired },
    },
    submissionOffsetDays: int(d.submissionOffsetDays),
    reviewOffsetDays: int(d.reviewOffsetDays),
    reminderSchedule: {
      beforeBusinessDays: d.reminderBefore
        .normalize('NFKC')
        .split(/[,、\s]+/)
        .filter(Boolean)
        .map(Number),
      onDeadline: d.reminderOnDeadline,
      overdueEveryBusinessDays: int(d.overdueEvery),
      overdueMaxCount: int(d.overdueMax),
    },
    autoOpen: d.autoOpen,
    retentionClass: d.retentionClass,
  };
  if (d.periodType === 'multi_year') {
    body.spanYears = int(d.spanYears);
    body.firstFiscalYear = int(d.firstFiscalYear);
  }
  if (d.id === null) body.code = d.code.trim();
  else body.version = d.version;
  return body;
}

/** A key nobody uses yet: field1, field2, … (ASCII, so the export and the rules can name it). */
export function proposeKey(fields: readonly DraftField[]): string {
  const used = new Set(fields.map((f) => f.field.key));
  let n = fields.filter((f) => !isBuiltinEntryKey(f.field.key)).length + 1;
  while (used.has(`field${n}`)) n++;
  return `field${n}`;
}

/** The built-in field as every template had it (its label and rule), or the rating. */
export function builtinField(key: BuiltinEntryKey): FormField {
  const known = DEFAULT_FORM.find((f) => f.key === key);
  return structuredClone(known ?? normaliseField({ key, label: FIELD_TYPE_LABELS[BUILTIN_KEY_TYPES[key]] }));
}

export const builtinLabel = (key: BuiltinEntryKey): string => builtinField(key).label;

export function missingBuiltins(fields: readonly DraftField[]): BuiltinEntryKey[] {
  return BUILTIN_ENTRY_KEYS.filter((k) => !fields.some((f) => f.field.key === k));
}

export function customField(type: FieldType, key: string): FormField {
  const f: FormField = { key, label: '', type, scope: 'entry' };
  if (isChoice(type)) f.options = [];
  return f;
}

export { isChoice, isNumeric, isText };

/** A rule with every `values.<from>` read as `values.<to>`: renaming a key keeps the rules that name it. */
export function renameInRule(rule: Rule | undefined, from: string, to: string): Rule | undefined {
  if (rule === undefined || typeof rule === 'boolean') return rule;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([op, arg]) => {
        if (op !== 'var') return [op, walk(arg)];
        const rename = (name: unknown) => (name === `values.${from}` ? `values.${to}` : name);
        return [op, Array.isArray(arg) ? [rename(arg[0]), ...arg.slice(1)] : rename(arg)];
      }),
    );
  };
  return walk(rule) as Rule;
}

export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  [out[index], out[to]] = [out[to], out[index]];
  return out;
}
