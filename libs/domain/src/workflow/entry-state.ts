import { DomainRuleError, TransitionError } from '../errors';

export type EntryState = 'not_started' | 'draft' | 'submitted' | 'in_review' | 'returned' | 'accepted' | 'not_submitted' | 'not_approved';
export type EntryAction = 'save' | 'submit' | 'withdraw' | 'approve' | 'return' | 'reopen' | 'mark_not_submitted' | 'mark_not_approved';
export type EntryActor = 'author' | 'approver' | 'planning' | 'system';

export interface EntryTransition {
  from: EntryState;
  action: EntryAction;
  /** 'by_route': decided by the approval route, see entryAfterApproval. */
  to: EntryState | 'by_route';
  label: string;
  /** What the entry's history calls a change of this row (an author's save is a 修正, not a 一時保存). */
  historyLabel: string;
  actor: EntryActor;
  needsComment: boolean;
}

export const ENTRY_STATES: readonly EntryState[] = ['not_started', 'draft', 'submitted', 'in_review', 'returned', 'accepted', 'not_submitted', 'not_approved'];
export const ENTRY_ACTIONS: readonly EntryAction[] = ['save', 'submit', 'withdraw', 'approve', 'return', 'reopen', 'mark_not_submitted', 'mark_not_approved'];

export const ENTRY_STATE_LABELS: Record<EntryState, string> = {
  not_started: '未着手',
  draft: '下書き',
  submitted: '提出済',
  in_review: '審査中',
  returned: '差戻し',
  accepted: '承認済',
  not_submitted: '未提出',
  // Submitted but not through the route when the cycle was force-closed.
  not_approved: '未承認',
};

export const ENTRY_ACTION_LABELS: Record<EntryAction, string> = {
  save: '一時保存',
  submit: '提出',
  withdraw: '取下げ',
  approve: '承認',
  return: '差戻し',
  reopen: '再開',
  mark_not_submitted: '未提出確定',
  mark_not_approved: '未承認確定',
};

/** History wording where it differs from the button's. */
const HISTORY_LABELS: Partial<Record<EntryAction, string>> = { save: '修正' };

type Row = EntryTransition;
const row = (from: EntryState, action: EntryAction, to: Row['to'], actor: EntryActor, needsComment = false): Row => ({
  from,
  action,
  to,
  label: ENTRY_ACTION_LABELS[action],
  historyLabel: HISTORY_LABELS[action] ?? ENTRY_ACTION_LABELS[action],
  actor,
  needsComment,
});

/** The only source of truth for entry state changes (API validation, UI buttons, audit labels). */
export const ENTRY_TRANSITIONS: readonly EntryTransition[] = Object.freeze([
  row('not_started', 'save', 'draft', 'author'),
  row('draft', 'save', 'draft', 'author'),
  // Saving a returned entry keeps it 差戻し so the approver's comment stays visible until resubmission.
  row('returned', 'save', 'returned', 'author'),
  row('not_started', 'submit', 'submitted', 'author'),
  row('draft', 'submit', 'submitted', 'author'),
  row('returned', 'submit', 'submitted', 'author'),
  // Only before the first approval; once in_review the author must ask for a return.
  row('submitted', 'withdraw', 'draft', 'author'),
  row('submitted', 'approve', 'by_route', 'approver'),
  row('in_review', 'approve', 'by_route', 'approver'),
  row('submitted', 'return', 'returned', 'approver', true),
  row('in_review', 'return', 'returned', 'approver', true),
  row('accepted', 'reopen', 'returned', 'planning', true),
  // Forced close of the cycle.
  row('not_started', 'mark_not_submitted', 'not_submitted', 'system'),
  row('draft', 'mark_not_submitted', 'not_submitted', 'system'),
  row('returned', 'mark_not_submitted', 'not_submitted', 'system'),
  row('not_submitted', 'reopen', 'draft', 'planning'),
  // Forced close of entries still in review: the route did not finish, the report stands unapproved.
  row('submitted', 'mark_not_approved', 'not_approved', 'system'),
  row('in_review', 'mark_not_approved', 'not_approved', 'system'),
  // In a reopened cycle planning sends it back to the section with the reason, as an accepted one.
  row('not_approved', 'reopen', 'returned', 'planning', true),
]);

/** The states `action` may start from, in ENTRY_STATES' order: the groups below follow the table. */
export function entryStatesAllowing(action: EntryAction): readonly EntryState[] {
  return Object.freeze(ENTRY_STATES.filter((s) => ENTRY_TRANSITIONS.some((t) => t.from === s && t.action === action)));
}

/** 承認待ち: waiting for an approver (the inbox, the approvers' reminders, the completeness table). */
export const ENTRY_STATES_AWAITING_APPROVAL = entryStatesAllowing('approve');
/** The section's work still to do: the states its author submits from. */
export const ENTRY_STATES_TO_SUBMIT = entryStatesAllowing('submit');
/** Not submitted: still to submit, or closed as 未提出 by a forced close (mark_not_submitted). */
export const ENTRY_STATES_NOT_SUBMITTED: readonly EntryState[] = Object.freeze(
  ENTRY_STATES.filter((s) => ENTRY_STATES_TO_SUBMIT.includes(s) || ENTRY_TRANSITIONS.some((t) => t.action === 'mark_not_submitted' && t.to === s)),
);
/** Submitted by the section: waiting for approval, or accepted. */
export const ENTRY_STATES_SUBMITTED: readonly EntryState[] = Object.freeze(ENTRY_STATES.filter((s) => !ENTRY_STATES_NOT_SUBMITTED.includes(s)));
/** Furthest along first: the columns of the completeness and entry tables. */
export const ENTRY_STATES_BY_PROGRESS: readonly EntryState[] = [
  'accepted',
  'in_review',
  'submitted',
  'returned',
  'draft',
  'not_started',
  'not_submitted',
  'not_approved',
];

/** The author's actions that write the content (一時保存, 提出). */
export type ContentAction = Extract<EntryAction, 'save' | 'submit'>;
/** An approver's decision on a submitted entry (承認, 差戻し). */
export type ReviewAction = Extract<EntryAction, 'approve' | 'return'>;

/** The actions the system takes on entries (a forced close's markings). */
export type SystemEntryAction = Extract<EntryAction, 'mark_not_submitted' | 'mark_not_approved'>;

/** The states a system action (a forced close) moves entries from, per the table. */
export function systemSourceStates(action: EntryAction): EntryState[] {
  return ENTRY_TRANSITIONS.filter((t) => t.action === action && t.actor === 'system').map((t) => t.from);
}

export function entryTransition(from: EntryState, action: EntryAction): EntryTransition {
  const found = ENTRY_TRANSITIONS.find((t) => t.from === from && t.action === action);
  if (!found) {
    const state = ENTRY_STATE_LABELS[from] ?? from;
    const act = ENTRY_ACTION_LABELS[action] ?? action;
    throw new TransitionError(from, action, `${state}のエントリーは「${act}」できません`);
  }
  return found;
}

export function allowedEntryActions(state: EntryState): EntryAction[] {
  return ENTRY_TRANSITIONS.filter((t) => t.from === state).map((t) => t.action);
}

/** State after approval of step `stepIndex` (0-based) of a route with `stepCount` steps. */
export function entryAfterApproval(stepIndex: number, stepCount: number): EntryState {
  if (!Number.isInteger(stepCount) || stepCount < 1) throw new DomainRuleError(`承認ルートの段数が正しくありません: ${stepCount}`);
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex >= stepCount) {
    throw new DomainRuleError(`承認段階が正しくありません: ${stepIndex + 1}/${stepCount}`);
  }
  return stepIndex === stepCount - 1 ? 'accepted' : 'in_review';
}

/** The author may change content (save/submit) in these states. */
export function isEditableByAuthor(state: EntryState): boolean {
  return ENTRY_TRANSITIONS.some((t) => t.from === state && t.action === 'save' && t.actor === 'author');
}

/**
 * The actions a caller may take on an entry in `state`, given in which capacities they act
 * (the section's writer, the approver of the current step, planning): the transition table's
 * actor column decides, so the UI shows exactly the buttons the API will accept.
 */
export function entryActionsFor(state: EntryState, capacities: Partial<Record<EntryActor, boolean>>): EntryAction[] {
  return ENTRY_TRANSITIONS.filter((t) => t.from === state && capacities[t.actor]).map((t) => t.action);
}

/**
 * What a history line calls a change, from the transition table's row for the action: 修正, 提出,
 * 承認（所管課長）, 承認（評価者・代決）, 承認（合議）, 差戻し（代決）, 未承認確定. The step is named
 * for the approver's actions (the step they acted at), 代決 when a delegate acted.
 */
export function entryHistoryLabel(action: string, stepLabel: string | null, acting: boolean): string {
  const name = action.replace(/^entry\./, '') as EntryAction;
  const rule = ENTRY_TRANSITIONS.find((t) => t.action === name);
  const base = rule?.historyLabel ?? name;
  const detail = [rule?.actor === 'approver' ? stepLabel : null, acting ? '代決' : null].filter(Boolean).join('・');
  return detail ? `${base}（${detail}）` : base;
}
