import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What libs/entries answers about entries of an item (plan-items never queries `entries`). */
export interface ItemEntryUsageSource {
  itemHasEntries(em: EntityManager, itemId: number): Promise<boolean>;
  /** Of these KPI ids of the item, those some entry holds a non-empty actual for. */
  kpiIdsWithActuals(em: EntityManager, itemId: number, kpiIds: readonly number[]): Promise<Set<number>>;
}

/**
 * The entries lib registers its answers here (it imports plan-items; plan-items cannot import
 * it back), as EntryReadGrants does for approvals.
 */
@Injectable()
export class ItemEntryUsage implements ItemEntryUsageSource {
  private source: ItemEntryUsageSource | null = null;

  register(source: ItemEntryUsageSource): void {
    this.source = source;
  }

  itemHasEntries(em: EntityManager, itemId: number): Promise<boolean> {
    return this.registered().itemHasEntries(em, itemId);
  }

  kpiIdsWithActuals(em: EntityManager, itemId: number, kpiIds: readonly number[]): Promise<Set<number>> {
    return kpiIds.length ? this.registered().kpiIdsWithActuals(em, itemId, kpiIds) : Promise.resolve(new Set());
  }

  private registered(): ItemEntryUsageSource {
    // Failing loudly: deciding without the entries would delete what a report still refers to.
    if (!this.source) throw new Error('ItemEntryUsage: libs/entries (EntriesModule) is not loaded');
    return this.source;
  }
}
