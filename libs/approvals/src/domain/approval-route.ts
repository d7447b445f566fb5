import type { ApprovalStepDef, ApprovalStepKind, EntryState, Role } from '@app/domain';

/**
 * Who may act on an entry at its current approval step: pure rules, no Nest or TypeORM,
 * shared by the approval actions, the inbox and the reminders.
 */
export type { ApprovalStepKind };
export type ApprovalStep = ApprovalStepDef;

/** A user as the routing rules see them. */
export interface RouteUser {
  id: number;
  sectionId: number | null;
  roles: readonly Role[];
  active: boolean;
}

/** One entry with everything needed to decide who acts on it now. */
export interface EntryRouting {
  entryId: number;
  state: EntryState;
  currentStep: number;
  route: readonly ApprovalStep[];
  sectionId: number;
  /** The plan item's named evaluator, if any. */
  evaluatorUserId: number | null;
  /** Head of the department the entry's section belongs to. */
  departmentHeadUserId: number | null;
  /** Everyone who wrote the entry: author, last editor, any actor of a save or submit. */
  editorIds: readonly number[];
}

export interface DelegationWindow {
  fromUserId: number;
  toUserId: number;
  /** 'YYYY-MM-DD', inclusive. */
  startsOn: string;
  /** 'YYYY-MM-DD', inclusive. */
  endsOn: string;
  revokedAt: Date | string | null;
}

/** Audit actions that make their actor an editor of the entry (and so never its approver). */
export const EDITING_AUDIT_ACTIONS = ['entry.save', 'entry.submit'] as const;

const PENDING: readonly EntryState[] = ['submitted', 'in_review'];

/** The step waiting for approval, or null when the entry waits for nobody's approval. */
export function pendingStep(entry: Pick<EntryRouting, 'state' | 'currentStep' | 'route'>): ApprovalStep | null {
  if (!PENDING.includes(entry.state)) return null;
  return entry.route[entry.currentStep] ?? null;
}

/** Whether the user holds the position the step names (ignoring segregation and delegation). */
export function holdsStep(user: RouteUser, kind: ApprovalStepKind, entry: EntryRouting): boolean {
  if (!user.active) return false;
  switch (kind) {
    case 'section_chief':
      return user.sectionId === entry.sectionId && user.roles.includes('chief');
    case 'evaluator':
      return user.id === (entry.evaluatorUserId ?? entry.departmentHeadUserId);
    case 'planning':
      return user.roles.includes('planning');
  }
}

/** A delegation counts on the days starts_on..ends_on inclusive (Tokyo calendar), unless revoked. */
export function isDelegationActive(d: DelegationWindow, today: string): boolean {
  return d.revokedAt === null && d.startsOn <= today && today <= d.endsOn;
}

/**
 * The principals who must act now: holders of the pending step who did not write the entry.
 * Empty when nothing is pending, or when every holder is barred (then someone must be
 * added to the route or the step reassigned; delegation cannot cure it).
 */
export function approversNow(entry: EntryRouting, users: readonly RouteUser[]): number[] {
  const step = pendingStep(entry);
  if (!step) return [];
  return users.filter((u) => holdsStep(u, step.kind, entry) && !entry.editorIds.includes(u.id)).map((u) => u.id);
}

/**
 * The step an entry waits at, from `from` on. A section-chief step counts as given when
 * `chiefStepGiven`: a chief of the section wrote the entry and no other chief of the section
 * is free to approve it (起案者が課長: the chief's own report carries the section's approval;
 * without this rule it would wait for an approver who can never act). Every other step waits
 * for someone. `route.length` means no step is left: the entry is accepted.
 */
export function nextOpenStep(route: readonly ApprovalStep[], from: number, chiefStepGiven: boolean): number {
  let step = from;
  while (step < route.length && chiefStepGiven && route[step].kind === 'section_chief') step++;
  return step;
}

export type ApprovalDecision =
  | { allowed: true; principalId: number; acting: boolean }
  | { allowed: false; reason: 'not_pending' | 'own_entry' | 'principal_wrote_entry' | 'not_approver'; message: string };

/**
 * May `actor` act as approver on the entry now, and for whom? Directly when they hold the
 * step; otherwise as delegate (代決) of a principal who holds it under a delegation active
 * today. Segregation of duties is by identity, so a role gained later changes nothing:
 * neither the actor nor the principal may have written the entry.
 *
 * @param principals users who delegated to the actor (the actor itself may be included)
 */
export function decideApprover(
  actor: RouteUser,
  entry: EntryRouting,
  principals: readonly RouteUser[],
  delegations: readonly DelegationWindow[],
  today: string,
): ApprovalDecision {
  const step = pendingStep(entry);
  if (!step) return { allowed: false, reason: 'not_pending', message: 'このエントリーは承認待ちではありません' };
  if (entry.editorIds.includes(actor.id)) {
    return { allowed: false, reason: 'own_entry', message: '自分が作成・編集・提出したエントリーは承認・差戻しできません' };
  }
  if (holdsStep(actor, step.kind, entry)) return { allowed: true, principalId: actor.id, acting: false };
  let barred = false;
  for (const d of delegations) {
    if (d.toUserId !== actor.id || !isDelegationActive(d, today)) continue;
    const principal = principals.find((p) => p.id === d.fromUserId);
    if (!principal || !holdsStep(principal, step.kind, entry)) continue;
    if (entry.editorIds.includes(principal.id)) {
      barred = true;
      continue;
    }
    return { allowed: true, principalId: principal.id, acting: true };
  }
  return barred
    ? { allowed: false, reason: 'principal_wrote_entry', message: '代理元の職員が作成・編集したエントリーは代理でも承認できません' }
    : { allowed: false, reason: 'not_approver', message: `この段階(${step.label})の承認者ではありません` };
}
