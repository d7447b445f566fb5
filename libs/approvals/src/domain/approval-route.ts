import type { ApprovalOptions, ApprovalStepDef, ApprovalStepKind, DelegationRecord, EntryState, Role } from '@app/domain';
import { delegationCovers, delegationState, ENTRY_STATES_AWAITING_APPROVAL, FALLBACK_APPROVER_LABELS } from '@app/domain';

/**
 * Who may act on an entry at its current approval step: pure rules, no Nest or TypeORM,
 * shared by the approval actions, the inbox and the reminders.
 */
export type { ApprovalStepKind };
type FallbackApproverKind = ApprovalOptions['fallbackApprovers'][number];
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
  cycleId: number;
  /** The plan item (the sections a 合議 step consults). */
  itemId?: number;
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
  /**
   * Everyone who approved an earlier step of this submission, as themselves or as the principal
   * of a 代決: none of them approves another step (one person, one step of one entry).
   */
  approverIds: readonly number[];
  /** The route's options (segregation of duties, the fallback approvers), from the cycle's rules or its template. */
  options: ApprovalOptions;
  /** At a 合議 step: its parties and who approved for each in this round (absent at other steps). */
  seats?: readonly CoSeat[];
}

/** One party of a 合議 step: a section (any active chief of it acts) or a named user. */
export interface CoSeat {
  /** 's:<section id>' or 'u:<user id>', as co_approvals stores it. */
  key: string;
  label: string;
  sectionId: number | null;
  userId: number | null;
  /** Who may act for the party now (active chiefs of the section, or the named user). */
  holderIds: readonly number[];
  /** The principal who approved for the party in this round, and who acted (a delegate or themselves). */
  approvedBy: number | null;
  actedBy: number | null;
}

export interface DelegationWindow extends DelegationRecord {
  fromUserId: number;
  toUserId: number;
}

/** Audit actions that make their actor an editor of the entry (and so never its approver). */
export const EDITING_AUDIT_ACTIONS = ['entry.save', 'entry.submit'] as const;

const PENDING: readonly EntryState[] = ENTRY_STATES_AWAITING_APPROVAL;

/** The step waiting for approval, or null when the entry waits for nobody's approval. */
export function pendingStep(entry: Pick<EntryRouting, 'state' | 'currentStep' | 'route'>): ApprovalStep | null {
  if (!PENDING.includes(entry.state)) return null;
  return entry.route[entry.currentStep] ?? null;
}

/** Whether the user may not approve this entry at all: they wrote it, or approved an earlier step of it. */
export function isBarred(userId: number, entry: Pick<EntryRouting, 'editorIds' | 'approverIds'>): boolean {
  return entry.editorIds.includes(userId) || entry.approverIds.includes(userId);
}

/**
 * Who holds the evaluator step: the item's evaluator, else the department head. When that person
 * is barred (the chief who is also the item's evaluator, or wrote the sheet), the step falls to
 * the template's fallback approvers in order (by default the department head, then planning),
 * so a route never waits for someone who cannot act. `via` says who it fell to (null: nobody fell).
 */
export function evaluatorTier(entry: EntryRouting): { userId: number | null; planning: boolean; via: FallbackApproverKind | null } {
  const named = entry.evaluatorUserId ?? entry.departmentHeadUserId;
  if (named !== null && !isBarred(named, entry)) return { userId: named, planning: false, via: null };
  for (const kind of entry.options.fallbackApprovers) {
    if (kind === 'planning') return { userId: null, planning: true, via: kind };
    const head = entry.departmentHeadUserId;
    if (head !== null && head !== named && !isBarred(head, entry)) return { userId: head, planning: false, via: kind };
  }
  // Unreachable for options that pass approvalOptionsProblem (the chain reaches planning).
  return { userId: null, planning: false, via: null };
}

/** Whether the user holds the position the step names now (ignoring segregation and delegation). */
export function holdsStep(user: RouteUser, kind: ApprovalStepKind, entry: EntryRouting): boolean {
  if (!user.active) return false;
  switch (kind) {
    case 'section_chief':
      return user.sectionId === entry.sectionId && user.roles.includes('chief');
    case 'evaluator': {
      const tier = evaluatorTier(entry);
      return tier.planning ? user.roles.includes('planning') : user.id === tier.userId;
    }
    case 'planning':
      return user.roles.includes('planning');
    case 'co_approval':
      return openSeatOf(user, entry) !== null;
  }
}

function holdsSeat(user: RouteUser, seat: CoSeat): boolean {
  return seat.userId !== null ? user.id === seat.userId : user.sectionId === seat.sectionId && user.roles.includes('chief');
}

/** A party that still waits: nobody approved for it, and someone who may act holds it. */
function seatWaits(seat: CoSeat, entry: EntryRouting): boolean {
  return seat.approvedBy === null && seat.holderIds.some((id) => !isBarred(id, entry) && !approvedASeat(id, entry));
}

function approvedASeat(userId: number, entry: EntryRouting): boolean {
  return (entry.seats ?? []).some((s) => s.approvedBy === userId || s.actedBy === userId);
}

/**
 * The party of the pending 合議 step the user would approve for, or null: one that waits and
 * that they hold. Nobody approves for two parties of one step, with or without segregation.
 */
export function openSeatOf(user: RouteUser, entry: EntryRouting): CoSeat | null {
  if (!user.active || approvedASeat(user.id, entry)) return null;
  return (entry.seats ?? []).find((seat) => seatWaits(seat, entry) && holdsSeat(user, seat)) ?? null;
}

/**
 * Where a 合議 step stands: the parties that count (approved, or with someone who may still act;
 * a party nobody may act for is passed, so the step never waits for nobody) and whether the
 * step's rule is met.
 */
export function coProgress(entry: EntryRouting): { approved: number; required: number; done: boolean; passed: CoSeat[] } | null {
  const step = pendingStep(entry);
  if (step?.kind !== 'co_approval' || !step.co) return null;
  const seats = entry.seats ?? [];
  const counted = seats.filter((s) => s.approvedBy !== null || seatWaits(s, entry));
  const approved = counted.filter((s) => s.approvedBy !== null).length;
  const done = step.co.rule === 'any' ? approved >= 1 || counted.length === 0 : approved === counted.length;
  return { approved, required: step.co.rule === 'any' ? Math.min(1, counted.length) : counted.length, done, passed: seats.filter((s) => !counted.includes(s)) };
}

/** Why the pending step is not held by whom the route names, for the inbox and the history. */
export function fallbackNote(entry: EntryRouting): string | null {
  const step = pendingStep(entry);
  if (step?.kind !== 'evaluator') return null;
  const named = entry.evaluatorUserId ?? entry.departmentHeadUserId;
  const tier = evaluatorTier(entry);
  if (tier.via === null) return null;
  const to = FALLBACK_APPROVER_LABELS[tier.via];
  if (named === null) return `評価者も部長も定められていないため、${to}が${step.label}の段階を承認します`;
  const why = entry.editorIds.includes(named) ? '作成に関わった' : '前の段階を承認した';
  return `${step.label}が${why}ため、${to}が${step.label}の段階を承認します`;
}

/**
 * What the route says of the steps still ahead of an entry, from `from` on: each step that will
 * be re-addressed as things stand (the evaluator wrote the sheet, or approved an earlier step).
 */
export function routeAheadNotes(entry: EntryRouting, from: number): string[] {
  const notes: string[] = [];
  for (let step = from; step < entry.route.length; step++) {
    const note = fallbackNote({ ...entry, state: 'in_review', currentStep: step });
    if (note) notes.push(note);
  }
  return notes;
}

/** A delegation counts on the days starts_on..ends_on inclusive (Tokyo calendar), once confirmed, unless revoked. */
export function isDelegationActive(d: DelegationWindow, today: string): boolean {
  return delegationState(d, today) === 'active';
}

/**
 * The principals who must act now: holders of the pending step who did not write the entry.
 * Empty when nothing is pending, or when every holder is barred (then someone must be
 * added to the route or the step reassigned; delegation cannot cure it).
 */
export function approversNow(entry: EntryRouting, users: readonly RouteUser[]): number[] {
  const step = pendingStep(entry);
  if (!step) return [];
  return users.filter((u) => holdsStep(u, step.kind, entry) && !isBarred(u.id, entry)).map((u) => u.id);
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
  | {
      allowed: false;
      reason: 'not_pending' | 'own_entry' | 'approved_earlier_step' | 'principal_wrote_entry' | 'principal_approved_earlier_step' | 'not_approver';
      message: string;
    };

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
  if (entry.approverIds.includes(actor.id)) {
    return {
      allowed: false,
      reason: 'approved_earlier_step',
      message: 'このエントリーの前の段階を承認しているため、この段階は承認・差戻しできません（一人が二つの段階を承認することはできません）',
    };
  }
  if (holdsStep(actor, step.kind, entry)) return { allowed: true, principalId: actor.id, acting: false };
  let barredBy: 'principal_wrote_entry' | 'principal_approved_earlier_step' | null = null;
  for (const d of delegations) {
    if (d.toUserId !== actor.id || !delegationCovers(d, today, { cycleId: entry.cycleId, stepKind: step.kind })) continue;
    const principal = principals.find((p) => p.id === d.fromUserId);
    if (!principal || !holdsStep(principal, step.kind, entry)) continue;
    if (entry.editorIds.includes(principal.id)) {
      barredBy = 'principal_wrote_entry';
      continue;
    }
    if (entry.approverIds.includes(principal.id)) {
      barredBy ??= 'principal_approved_earlier_step';
      continue;
    }
    return { allowed: true, principalId: principal.id, acting: true };
  }
  if (barredBy === 'principal_wrote_entry') {
    return { allowed: false, reason: barredBy, message: '代理元の職員が作成・編集したエントリーは代理でも承認できません' };
  }
  if (barredBy === 'principal_approved_earlier_step') {
    return { allowed: false, reason: barredBy, message: '代理元の職員が前の段階を承認しているため、代理でもこの段階は承認できません' };
  }
  return { allowed: false, reason: 'not_approver', message: `この段階(${step.label})の承認者ではありません` };
}
