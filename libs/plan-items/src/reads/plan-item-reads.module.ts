import { Module } from '@nestjs/common';
import { OrgDirectoryModule } from '@app/org/directory/org-directory.module';
import { ItemEntryUsage } from './item-entry-usage';
import { ItemReads, PlanReads } from './item-reads.service';
import { PlanItemSectionMerge } from './plan-item-section-merge';
import { PlanUsage } from './plan-usage';

/**
 * Reads of plans and items for other libs (no controllers), the entries' and cycles' answers about
 * items and plans, and plan-items' part of a section merge (registered in org's SectionItems).
 */
@Module({
  imports: [OrgDirectoryModule],
  providers: [ItemReads, PlanReads, ItemEntryUsage, PlanUsage, PlanItemSectionMerge],
  exports: [ItemReads, PlanReads, ItemEntryUsage, PlanUsage],
})
export class PlanItemReadsModule {}
