import type { EntityManager } from 'typeorm';

/**
 * Events raised inside the transaction of the change that causes them. Handlers run
 * (awaited, through EventEmitter2.emitAsync) on the same EntityManager, so what they write
 * (e.g. reminder outbox rows) commits or rolls back with the change itself.
 */
export const DomainEvent = {
  CycleOpened: 'cycle.opened',
  EntryReturned: 'entry.returned',
} as const;

export interface CycleOpenedEvent {
  em: EntityManager;
  cycleId: number;
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
