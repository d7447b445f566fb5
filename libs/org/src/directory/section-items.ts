import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What libs/plan-items does for a section merge (org never writes `plan_item_sections`). */
export interface SectionItemsSource {
  /**
   * Moves the items of section `fromId` to section `intoId` in the caller's transaction (an item
   * the target already has keeps the target's row): how many moved and how many were skipped.
   */
  moveSectionItems(em: EntityManager, fromId: number, intoId: number): Promise<{ moved: number; skipped: number }>;
}

/**
 * libs/plan-items registers its answer here (it imports org; org cannot import it back), as
 * ItemEntryUsage does for entries.
 */
@Injectable()
export class SectionItems implements SectionItemsSource {
  private source: SectionItemsSource | null = null;

  register(source: SectionItemsSource): void {
    this.source = source;
  }

  moveSectionItems(em: EntityManager, fromId: number, intoId: number): Promise<{ moved: number; skipped: number }> {
    // Failing loudly: merging without plan-items would leave the items on a section that is gone.
    if (!this.source) throw new Error('SectionItems: libs/plan-items (PlanItemReadsModule) is not loaded');
    return this.source.moveSectionItems(em, fromId, intoId);
  }
}
