/** Who acts at one step of an approval route. */
export const APPROVAL_STEP_KINDS = ['section_chief', 'evaluator', 'planning'] as const;
export type ApprovalStepKind = (typeof APPROVAL_STEP_KINDS)[number];

/** The approver each kind of step names, as the route shows it by default. */
export const APPROVAL_STEP_KIND_LABELS: Record<ApprovalStepKind, string> = {
  section_chief: '所管課長',
  evaluator: '評価者',
  planning: '企画担当',
};

export interface ApprovalStepDef {
  kind: ApprovalStepKind;
  label: string;
}

/** The usual route: the section's chief, the evaluator (department head or 参事), planning. */
export const DEFAULT_APPROVAL_ROUTE: ApprovalStepDef[] = APPROVAL_STEP_KINDS.map((kind) => ({ kind, label: APPROVAL_STEP_KIND_LABELS[kind] }));

/**
 * Who takes over the evaluator's step when the evaluator may not act on an entry (they wrote
 * it, or, with segregation of duties, approved an earlier step of it), in the template's order.
 */
export const FALLBACK_APPROVER_KINDS = ['department_head', 'planning'] as const;
export type FallbackApproverKind = (typeof FALLBACK_APPROVER_KINDS)[number];
export const FALLBACK_APPROVER_LABELS: Record<FallbackApproverKind, string> = {
  department_head: '部長',
  planning: '企画担当',
};

/** A template's rules for its route as a whole. */
export interface ApprovalOptions {
  /** 職務分掌: one person approves at most one step of an entry (as themselves or as 代決). */
  segregation: boolean;
  /** Who the evaluator's step falls to, in order; always ends with someone who can act (planning). */
  fallbackApprovers: FallbackApproverKind[];
}

export const DEFAULT_APPROVAL_OPTIONS: ApprovalOptions = Object.freeze({
  segregation: true,
  fallbackApprovers: ['department_head', 'planning'] as FallbackApproverKind[],
}) as ApprovalOptions;

/** Stored options in today's shape (templates and cycles saved before the options have none). */
export function readApprovalOptions(raw: unknown): ApprovalOptions {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Partial<ApprovalOptions>;
  return {
    segregation: typeof o.segregation === 'boolean' ? o.segregation : DEFAULT_APPROVAL_OPTIONS.segregation,
    fallbackApprovers: Array.isArray(o.fallbackApprovers) && o.fallbackApprovers.length ? o.fallbackApprovers : [...DEFAULT_APPROVAL_OPTIONS.fallbackApprovers],
  };
}

/**
 * What is wrong with the options, as { field, message } (null when they are fine). The chain
 * must reach planning so that a step never waits for someone who can never act.
 */
export function approvalOptionsProblem(o: ApprovalOptions): { field: string; message: string } | null {
  const chain = o.fallbackApprovers;
  const field = 'approvalOptions.fallbackApprovers';
  if (chain.some((k) => !FALLBACK_APPROVER_KINDS.includes(k))) {
    return { field, message: `代わりの承認者は ${FALLBACK_APPROVER_KINDS.map((k) => `${FALLBACK_APPROVER_LABELS[k]}(${k})`).join('、')} から選んでください` };
  }
  if (new Set(chain).size !== chain.length) return { field, message: '代わりの承認者が重複しています' };
  if (!chain.includes('planning')) return { field, message: '代わりの承認者の最後には企画担当を含めてください（承認者のいない段階を作らないため）' };
  return null;
}

/** 「部長 → 企画担当」: the chain as the template editor and the route show it. */
export function fallbackChainText(chain: readonly FallbackApproverKind[]): string {
  return chain.map((k) => FALLBACK_APPROVER_LABELS[k]).join(' → ');
}

/** Why a step of an entry's route was passed: its only holder wrote the entry. */
export function stepPassedNote(stepLabel: string): string {
  return `${stepLabel}の承認は作成者本人のため省略`;
}
