import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EntryState } from '@app/domain';

/** An entry a cycle's transition moved, as it was before. */
export interface MovedEntry {
  id: number;
  state: string;
  currentStep: number;
  itemId: number;
  sectionId: number;
}

/** What libs/entries does to a cycle's entries when the cycle opens or is force-closed (cycles never writes `entries`). */
export interface CycleEntryWriterSource {
  /**
   * One entry per (item, section) pair, carrying the plan text and rating of the same pair in
   * `previousCycleId`; idempotent (ON CONFLICT DO NOTHING). Returns how many were created.
   */
  createEntries(em: EntityManager, cycleId: number, previousCycleId: number | null, pairs: { itemIds: number[]; sectionIds: number[] }): Promise<number>;
  countNotAccepted(em: EntityManager, cycleId: number): Promise<number>;
  /** Moves the cycle's entries in `from` to `to` by the system, each with its version row (edited by `editedBy`). */
  moveBySystem(em: EntityManager, cycleId: number, from: readonly EntryState[], to: EntryState, editedBy: number | null): Promise<MovedEntry[]>;
}

/** libs/entries registers its writer here (entries imports cycles; not the other way round). */
@Injectable()
export class CycleEntryWriter implements CycleEntryWriterSource {
  private source: CycleEntryWriterSource | null = null;

  register(source: CycleEntryWriterSource): void {
    this.source = source;
  }

  createEntries(em: EntityManager, cycleId: number, previousCycleId: number | null, pairs: { itemIds: number[]; sectionIds: number[] }): Promise<number> {
    return this.registered().createEntries(em, cycleId, previousCycleId, pairs);
  }

  countNotAccepted(em: EntityManager, cycleId: number): Promise<number> {
    return this.registered().countNotAccepted(em, cycleId);
  }

  moveBySystem(em: EntityManager, cycleId: number, from: readonly EntryState[], to: EntryState, editedBy: number | null): Promise<MovedEntry[]> {
    return this.registered().moveBySystem(em, cycleId, from, to, editedBy);
  }

  private registered(): CycleEntryWriterSource {
    if (!this.source) throw new Error('CycleEntryWriter: libs/entries (EntriesModule) is not loaded');
    return this.source;
  }
}
