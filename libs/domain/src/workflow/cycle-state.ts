import { TransitionError } from '../errors';

export type CycleState = 'draft' | 'open' | 'closed' | 'published';
export type CycleAction = 'open' | 'close' | 'force_close' | 'publish' | 'reopen';

export interface CycleTransition {
  from: CycleState;
  action: CycleAction;
  to: CycleState;
  /** Button and audit label. */
  label: string;
  /** A reason must be given (and is audited). */
  needsReason: boolean;
}

export const CYCLE_STATES: readonly CycleState[] = ['draft', 'open', 'closed', 'published'];
export const CYCLE_ACTIONS: readonly CycleAction[] = ['open', 'close', 'force_close', 'publish', 'reopen'];

export const CYCLE_STATE_LABELS: Record<CycleState, string> = {
  draft: '準備中',
  open: '受付中',
  closed: '締切済',
  published: '公表済',
};

export const CYCLE_ACTION_LABELS: Record<CycleAction, string> = {
  open: '開始',
  close: '締切',
  force_close: '強制締切',
  publish: '公表',
  reopen: '再開',
};

/** The only source of truth for cycle state changes (API validation, UI buttons, audit labels). */
/** Not closed yet: a draft, or open for entries (its rules may still be read by new work). */
export const CYCLE_STATES_IN_PROGRESS: readonly CycleState[] = ['draft', 'open'];
/** Closed for entries (締切済 or 公表済): the cycle has a record to file (公文書) and a 保存期間. */
export const CYCLE_STATES_CLOSED: readonly CycleState[] = CYCLE_STATES.filter((s) => !CYCLE_STATES_IN_PROGRESS.includes(s));

/** The actions that stop or resume the work of an opened cycle; those who work in it are told. */
export type CycleWorkAction = Extract<CycleAction, 'close' | 'force_close' | 'reopen'>;

export const CYCLE_TRANSITIONS: readonly CycleTransition[] = Object.freeze([
  { from: 'draft', action: 'open', to: 'open', label: '開始', needsReason: false },
  { from: 'open', action: 'close', to: 'closed', label: '締切', needsReason: false },
  // Closes although entries are still missing; they become 未提出.
  { from: 'open', action: 'force_close', to: 'closed', label: '強制締切', needsReason: true },
  { from: 'closed', action: 'publish', to: 'published', label: '公表', needsReason: false },
  { from: 'closed', action: 'reopen', to: 'open', label: '再開', needsReason: true },
  { from: 'published', action: 'reopen', to: 'open', label: '再開', needsReason: true },
] as const satisfies readonly CycleTransition[]);

export function cycleTransition(from: CycleState, action: CycleAction): CycleTransition {
  const row = CYCLE_TRANSITIONS.find((t) => t.from === from && t.action === action);
  if (!row) {
    const state = CYCLE_STATE_LABELS[from] ?? from;
    const act = CYCLE_ACTION_LABELS[action] ?? action;
    throw new TransitionError(from, action, `${state}のサイクルは「${act}」できません`);
  }
  return row;
}

export function allowedCycleActions(state: CycleState): CycleAction[] {
  return CYCLE_TRANSITIONS.filter((t) => t.from === state).map((t) => t.action);
}
