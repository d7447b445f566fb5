import { TERMS } from '../glossary/glossary';

/** Who acts at one step of an approval route. */
export const APPROVAL_STEP_KINDS = ['section_chief', 'evaluator', 'planning'] as const;
export type ApprovalStepKind = (typeof APPROVAL_STEP_KINDS)[number];

/** The approver each kind of step names, as the route shows it by default. */
export const APPROVAL_STEP_KIND_LABELS: Record<ApprovalStepKind, string> = {
  section_chief: '所管課長',
  evaluator: TERMS.evaluator,
  planning: TERMS.planning,
};

export interface ApprovalStepDef {
  kind: ApprovalStepKind;
  label: string;
}

/** The usual route: the section's chief, the evaluator (department head or 参事), planning. */
export const DEFAULT_APPROVAL_ROUTE: ApprovalStepDef[] = APPROVAL_STEP_KINDS.map((kind) => ({ kind, label: APPROVAL_STEP_KIND_LABELS[kind] }));
