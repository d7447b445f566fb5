import type { CycleWorkAction, ReviewAction } from '@app/domain';
import type { EntityManager } from 'typeorm';

/**
 * Events raised inside the transaction of the change that causes them. Handlers run
 * (awaited, through EventEmitter2.emitAsync) on the same EntityManager, so what they write
 * (e.g. reminder outbox rows) commits or rolls back with the change itself.
 */
export const DomainEvent = {
  CycleOpened: 'cycle.opened',
  EntryReturned: 'entry.returned',
  /** An entry is about to be saved as submitted; the approval route may settle its first step. */
  EntrySubmitting: 'entry.submitting',
  /** A delegate approved or returned an entry in a principal's name (代決): the principal is told (後閲). */
  EntryActedFor: 'entry.acted_for',
  /** A delegation was recorded; `needsConfirmation` when someone other than its principal recorded it. */
  DelegationRecorded: 'delegation.recorded',
  /** A delegation recorded for someone else was confirmed by the principal or their superior. */
  DelegationConfirmed: 'delegation.confirmed',
  /** An entry now waits at an approval step (submitted, or approved onto the next step): its approvers are told. */
  EntryAwaitingReview: 'entry.awaiting_review',
  /** A cycle was closed, force-closed or reopened: its sections are told. */
  CycleStateChanged: 'cycle.state_changed',
  /** Failed sign-ins locked an account: its user is told by mail. */
  AccountLocked: 'user.account_locked',
  /** A cycle was published (emitted after the change committed): its public version is frozen. */
  CyclePublished: 'cycle.published',
} as const;

/** The parts of a submitted entry that routing reads and may change (the entity itself is passed). */
export interface SubmittingEntry {
  id: number;
  cycleId: number;
  itemId: number;
  sectionId: number;
  /** The same section's entry of the item in the previous cycle, if any. */
  previousEntryId?: number | null;
  state: string;
  currentStep: number;
  authorUserId: number | null;
  lastEditedBy: number | null;
  acceptedAt: Date | null;
  /** What the route says of this submission (steps passed or re-addressed); the route sets it. */
  routeNotes: string[];
}

export interface EntrySubmittingEvent {
  em: EntityManager;
  entry: SubmittingEntry;
  route: readonly { kind: string; label: string }[];
  /** The route's options as the cycle keeps them, and who it names (read with the lock, so the listener asks nothing again). */
  options?: unknown;
  place?: { evaluatorUserId: number | null; departmentHeadUserId: number | null };
  /** Who the stored row named as author and last editor before this change (they wrote it too). */
  storedWriterIds?: (number | null)[];
  /** Lines for the submission's audit comment (why a step was passed without an approver). */
  notes: string[];
}

export interface CycleOpenedEvent {
  em: EntityManager;
  cycleId: number;
  /** What the planning division should know about the opening (a late one: what mail goes when); in the open result and its audit row. */
  notes: string[];
}

export interface EntryReturnedEvent {
  em: EntityManager;
  entryId: number;
  /** The user the notice goes to (the author of the returned submission). */
  authorUserId: number | null;
  returnedByUserId: number;
  comment: string;
  version: number;
}

export interface EntryActedForEvent {
  em: EntityManager;
  entryId: number;
  action: ReviewAction;
  actorUserId: number;
  principalUserId: number;
  stepLabel: string;
  comment: string | null;
  /** The entry's version after the action: one notice per action. */
  version: number;
}

export interface DelegationEvent {
  em: EntityManager;
  delegationId: number;
  actorUserId: number;
}

export interface DelegationRecordedEvent extends DelegationEvent {
  needsConfirmation: boolean;
}

export interface EntryAwaitingReviewEvent {
  em: EntityManager;
  entryId: number;
  cycleId: number;
}

export interface CycleStateChangedEvent {
  em: EntityManager;
  cycleId: number;
  action: CycleWorkAction;
  reason: string | null;
}

export interface AccountLockedEvent {
  em: EntityManager;
  userId: number;
  /** Failed attempts in a row that locked it. */
  failures: number;
  lockSeconds: number;
  at: Date;
}

export interface CyclePublishedEvent {
  cycleId: number;
  actorUserId: number | null;
}
