import { APPROVAL_STEP_KIND_LABELS, type ApprovalStepKind } from './approval-steps';

/**
 * 代決 (delegation of approval rights) as maker-checker: who may record one, who must confirm
 * it, when it counts. Pure rules, shared by the api and the web.
 */

/** Where a delegation stands; only 'active' lets the delegate act. */
export const DELEGATION_STATES = ['pending', 'scheduled', 'active', 'ended', 'revoked'] as const;
export type DelegationState = (typeof DELEGATION_STATES)[number];

export const DELEGATION_STATE_LABELS: Record<DelegationState, string> = {
  pending: '承認待ち',
  scheduled: '開始前',
  active: '有効',
  ended: '期間終了',
  revoked: '取消済み',
};

/** The people a recording decision looks at. */
export interface DelegationParty {
  id: number;
  /** Planning or admin: may record a delegation on someone else's behalf (it then needs confirming). */
  recordsForOthers: boolean;
}

export type RecordingDecision = { allowed: true; needsConfirmation: boolean } | { allowed: false; field: 'fromUserId' | 'toUserId'; message: string };

/**
 * May `recorder` record that `fromUserId` delegates to `toUserId`? A principal records their
 * own at once. Planning or admin may record one for someone else, never to themselves, and it
 * waits until the principal or the principal's superior confirms it: otherwise one planning
 * login could give itself every approval of the city.
 */
export function decideRecording(recorder: DelegationParty, fromUserId: number, toUserId: number): RecordingDecision {
  if (toUserId === fromUserId) return { allowed: false, field: 'toUserId', message: '自分自身を代理者にはできません' };
  if (fromUserId === recorder.id) return { allowed: true, needsConfirmation: false };
  if (!recorder.recordsForOthers) {
    return { allowed: false, field: 'fromUserId', message: '他の職員の代理を設定できるのは企画担当・管理者のみです' };
  }
  if (toUserId === recorder.id) {
    return { allowed: false, field: 'toUserId', message: '他の職員の名義で、自分を代理者とする代理設定は登録できません' };
  }
  return { allowed: true, needsConfirmation: true };
}

/** A principal as confirmation sees them: their superiors in the organisation. */
export interface PrincipalPlace {
  id: number;
  /** Chiefs of the principal's section (the principal excluded). */
  sectionChiefIds: readonly number[];
  /** Head of the principal's department, if any. */
  departmentHeadId: number | null;
  isChief: boolean;
}

/**
 * Who may confirm a delegation recorded on the principal's behalf: the principal, or their
 * superior (a staff member's chief or department head; a chief's department head). Never the
 * one who recorded it, nor the delegate.
 */
export function mayConfirm(userId: number, principal: PrincipalPlace, recordedBy: number | null, toUserId: number): boolean {
  if (userId === recordedBy || userId === toUserId) return false;
  if (userId === principal.id) return true;
  if (userId === principal.departmentHeadId) return true;
  return !principal.isChief && principal.sectionChiefIds.includes(userId);
}

export interface DelegationRecord {
  /** 'YYYY-MM-DD', inclusive. */
  startsOn: string;
  /** 'YYYY-MM-DD', inclusive. */
  endsOn: string;
  revokedAt: Date | string | null;
  /** Null while it waits for confirmation. */
  confirmedAt: Date | string | null;
  /** Limits it to one cycle, when set. */
  cycleId?: number | null;
  /** Limits it to one kind of step, when set. */
  stepKind?: ApprovalStepKind | null;
}

export function delegationState(d: DelegationRecord, today: string): DelegationState {
  if (d.revokedAt) return 'revoked';
  if (!d.confirmedAt) return 'pending';
  if (today > d.endsOn) return 'ended';
  if (today < d.startsOn) return 'scheduled';
  return 'active';
}

/** Whether the delegation lets its delegate act today at a step of this kind in this cycle. */
export function delegationCovers(d: DelegationRecord, today: string, at: { cycleId: number; stepKind: ApprovalStepKind }): boolean {
  if (delegationState(d, today) !== 'active') return false;
  if (d.cycleId != null && d.cycleId !== at.cycleId) return false;
  return d.stepKind == null || d.stepKind === at.stepKind;
}

/** 12/1〜12/4 as the inbox banner shows the period (the year only when it is not this one). */
export function delegationPeriodText(d: Pick<DelegationRecord, 'startsOn' | 'endsOn'>, today: string): string {
  const part = (iso: string) => {
    const [y, m, day] = iso.split('-').map(Number);
    return `${y !== Number(today.slice(0, 4)) ? `${y}/` : ''}${m}/${day}`;
  };
  return `${part(d.startsOn)}〜${part(d.endsOn)}`;
}

/** 全サイクル・全段階, or the one cycle / kind of step the delegation is limited to. */
export function delegationScopeText(d: { cycleLabel: string | null; stepKind: ApprovalStepKind | null }): string {
  const cycle = d.cycleLabel ?? '全サイクル';
  const step = d.stepKind ? `${APPROVAL_STEP_KIND_LABELS[d.stepKind]}の段階` : '全段階';
  return `${cycle}・${step}`;
}
