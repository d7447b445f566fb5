// The form's vocabulary is the domain's own, imported rather than copied.
import type { FormField, FormLayout, KpiAchievement, KpiActual, KpiDefinition } from '../../libs/domain/src/forms';
import type { ApprovalStepDef as ApprovalStep, ApprovalStepKind } from '../../libs/domain/src/workflow/approval-steps';
import type { DelegationState } from '../../libs/domain/src/workflow/delegation';
import type { Role } from '../../libs/domain/src/org/roles';
import type { SessionMethod } from '../../libs/domain/src/org/session';
export type { ApprovalStep, FormField, FormLayout, KpiActual, Role };

// Shapes of the REST API as the UI reads them (see the controllers under libs/*/src).

/** A user as the administration screens show them (never a password). */
export interface UserRow {
  id: number;
  login: string;
  name: string;
  email: string;
  sectionId: number | null;
  sectionName: string | null;
  roles: Role[];
  active: boolean;
}

/** A live session (ログイン中の端末), GET /api/auth/sessions. */
export interface SessionRow {
  id: string;
  method: SessionMethod;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  clientAddress: string | null;
  current: boolean;
}

export interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  headUserId: number | null;
}

export interface SectionRow {
  id: number;
  departmentId: number;
  code: string;
  name: string;
  departmentName: string;
  active: boolean;
}

export interface Actor {
  id: number;
  name: string;
  sectionId: number | null;
  departmentId: number | null;
  roles: Role[];
}

export interface ScaleOption {
  value: string;
  symbol: string;
  label: string;
  ordinal: number;
}

export interface Scale {
  code: string;
  name: string;
  options: ScaleOption[];
  reasonRequiredFor: string[];
}

export type TextFieldKey = 'progress' | 'fiscalGoal' | 'shortTermPlan' | 'reason' | 'nextSteps';

export interface EntryRow {
  id: number;
  cycleId: number;
  itemId: number;
  sectionId: number;
  state: string;
  stateLabel: string;
  rating: string | null;
  progress: string | null;
  fiscalGoal: string | null;
  shortTermPlan: string | null;
  kpiActuals: KpiActual[];
  reason: string | null;
  nextSteps: string | null;
  /** The form's own fields beyond the built-in columns. */
  values: Record<string, unknown>;
  previousRating: string | null;
  currentStep: number;
  submittedAt: string | null;
  acceptedAt: string | null;
  returnComment: string | null;
  returnFieldComments: Record<string, string> | null;
  version: number;
  updatedAt: string;
  itemNumber: number;
  itemSubNumber: string;
  itemTitle: string;
  itemChapter: string | null;
  sectionName: string;
  cycleLabel: string;
  cycleState: string;
  submissionDeadline: string;
  reviewDeadline: string;
}

export interface Kpi extends KpiDefinition {
  /** This cycle's fiscal year: target, last saved actual, rate. */
  achievement: KpiAchievement;
}

/** A department's or section's fields for the cycle (基本方針, 総括), entered once. */
export interface ScopeValues {
  cycleId: number;
  scope: 'department' | 'section';
  scopeId: number;
  name: string;
  headName: string | null;
  fields: FormField[];
  values: Record<string, unknown>;
  version: number;
  editable: boolean;
  updatedAt: string | null;
}

export interface EntryDetail {
  entry: EntryRow;
  item: {
    content: string | null;
    targetDateText: string | null;
    sectionContent: string | null;
    sectionTargetDateText: string | null;
    attributes: Record<string, unknown>;
    itemFields: FormField[];
    kpis: Kpi[];
  };
  fiscalYear: number;
  template: { id: number; name: string; fields: FormField[]; layout: FormLayout; approvalRoute: ApprovalStep[] };
  scopes: { department: ScopeValues; section: ScopeValues };
  scale: Scale;
  previous: EntryRow | null;
  allowedActions: string[];
  /** The rating the KPI results point to; shown as a hint, never applied by itself. */
  suggestion: { rating: string; achievementRate: number } | null;
  versions: { version: number; state: string; editedAt: string; editedBy: string | null }[];
  /** Who did what, newest first: 修正, 提出, 承認（評価者・代決） with the comment. */
  history: { at: string; action: string; label: string; actorName: string | null; onBehalfOfName: string | null; comment: string | null }[];
}

export interface DiffRow {
  field: string;
  label: string;
  current: unknown;
  previousVersion: unknown;
  previousCycle: unknown;
  changedSinceVersion: boolean;
  changedSincePreviousCycle: boolean;
}

/** GET /entries/:id/actions: the buttons to show, and my approval step when it is my turn. */
export interface EntryActions {
  entryId: number;
  state: string;
  actions: string[];
  approval: ApprovalTurn | null;
}

export interface ApprovalTurn {
  stepLabel: string;
  acting: boolean;
  onBehalfOf: { userId: number; name: string } | null;
}

export interface InboxEntry {
  id: number;
  cycleId: number;
  sectionName: string;
  itemNumber: number;
  itemSubNumber: string;
  itemTitle: string;
  state: string;
  stateLabel: string;
  stepLabel: string;
  rating: string | null;
  version: number;
  submittedAt: string | null;
  reviewDeadline: string;
  acting: boolean;
  onBehalfOf: { userId: number; name: string } | null;
  /** Why the step is not held by whom the route names (the evaluator step fell to the department head). */
  note: string | null;
}

/** 代決（経営企画部長）12/1〜12/4: a delegation in force for the caller. */
export interface InboxDelegation {
  principalUserId: number;
  principalName: string;
  principalPost: string | null;
  startsOn: string;
  endsOn: string;
  periodText: string;
  scopeText: string;
}

/** One page of GET /approvals/inbox; `count` and `total` are over all pages. */
export interface Inbox {
  total: number;
  delegations: InboxDelegation[];
  limit: number;
  /** The cursor of the next page, null on the last. */
  nextCursor: string | null;
  groups: {
    cycleId: number;
    cycleLabel: string;
    count: number;
    sections: { sectionId: number; sectionName: string; count: number; entries: InboxEntry[] }[];
  }[];
}

export type CycleAction = 'open' | 'close' | 'force_close' | 'publish' | 'reopen';

export interface Cycle {
  id: number;
  templateId: number;
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  fiscalYear: number;
  label: string;
  state: string;
  stateLabel: string;
  allowedActions: CycleAction[];
  submissionDeadline: string;
  reviewDeadline: string;
  openedAt: string | null;
  closedAt: string | null;
  publishedAt: string | null;
  version: number;
}

export interface Template {
  id: number;
  code: string;
  name: string;
  planId: number;
  periodType: string;
  scaleCode: string;
  fields: FormField[];
  layout: FormLayout;
  approvalRoute: ApprovalStep[];
  submissionOffsetDays: number;
  reviewOffsetDays: number;
  autoOpen: boolean;
  active: boolean;
  version: number;
}

export interface Plan {
  id: number;
  code: string;
  name: string;
  kind: string;
  /** The plan's item attributes, which a template's rules may read as item.<key>. */
  itemFields?: FormField[];
}

export interface CompletenessGroup {
  total: number;
  counts: Record<string, number>;
  accepted: number;
  acceptedPercent: number;
}

export interface Completeness {
  cycle: { id: number; label: string; state: string; fiscalYearLabel: string };
  asOf: string;
  submissionDeadline: string;
  reviewDeadline: string;
  stateLabels: Record<string, string>;
  total: CompletenessGroup;
  sections: (CompletenessGroup & { sectionId: number; sectionName: string; departmentName: string; chiefs: string[] })[];
  departments: (CompletenessGroup & { departmentId: number; departmentName: string })[];
  lateSubmission: {
    sectionId: number;
    sectionName: string;
    departmentName: string;
    chiefs: string[];
    entries: { entryId: number; number: number; subNumber: string; title: string; stateLabel: string }[];
  }[];
  lateReview: { entryId: number; number: number; subNumber: string; title: string; sectionName: string; stateLabel: string }[];
  /** Waiting for an approval nobody can give (vacant post, or every holder wrote the entry). */
  withoutApprover: {
    entryId: number;
    number: number;
    subNumber: string;
    title: string;
    departmentName: string;
    sectionName: string;
    stateLabel: string;
    stepLabel: string | null;
  }[];
}

export interface RatingCount {
  value: string;
  symbol: string;
  label: string;
  ordinal: number;
  count: number;
}

export interface RatingTally {
  ratings: RatingCount[];
  total: number;
  unrated: number;
  unknown: number;
}

export interface Summary extends RatingTally {
  cycle: { id: number; label: string; state: string; fiscalYearLabel: string; periodLabel: string };
  scale: { code: string; name: string };
  acceptedOnly: boolean;
  byChapter: (RatingTally & { chapter: string | null })[];
  byDepartment: (RatingTally & { departmentId: number; departmentName: string })[];
}

export interface Matrix {
  template: { id: number; name: string; scale: Scale };
  fiscalYear: number | null;
  columns: { cycleId: number; periodKey: string; label: string; state: string }[];
  rows: {
    itemId: number;
    number: number;
    subNumber: string;
    title: string;
    sectionId: number;
    sectionName: string;
    cells: { cycleId: number; rating: string | null; symbol: string; state: string | null }[];
  }[];
}

export interface ReminderLog {
  cycleId: number;
  filter: { recipientUserId?: number; kind?: string };
  /** Everyone the cycle's log names (the recipient filter's choices), whatever the filter. */
  recipients: { id: number; name: string }[];
  counts: Record<string, number>;
  failures: { id: string; recipientName: string; kind: string; slotKey: string; attempts: number; lastError: string | null }[];
  slots: { id: string; audience: string; kind: string; deadline: string; sendAt: string; status: string }[];
  mails: {
    id: string;
    recipientUserId: number;
    recipientName: string;
    kind: string;
    status: string;
    subject: string | null;
    sendAt: string;
    sentAt: string | null;
    attempts: number;
    lastError: string | null;
  }[];
}

export interface Delegation {
  id: number;
  fromUserId: number;
  fromUserName: string;
  toUserId: number;
  toUserName: string;
  startsOn: string;
  endsOn: string;
  reason: string | null;
  cycleId: number | null;
  cycleLabel: string | null;
  stepKind: ApprovalStepKind | null;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  confirmedAt: string | null;
  confirmedBy: number | null;
  confirmedByName: string | null;
  revokedAt: string | null;
  state: DelegationState;
  stateLabel: string;
  active: boolean;
  mayConfirm: boolean;
  mayRevoke: boolean;
}

export interface Delegations {
  given: Delegation[];
  received: Delegation[];
  toConfirm: Delegation[];
  recorded: Delegation[];
}

export interface DirectoryPerson {
  id: number;
  name: string;
  sectionName: string | null;
}
