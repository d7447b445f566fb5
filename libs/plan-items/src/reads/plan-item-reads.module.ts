import { Module } from '@nestjs/common';
import { ItemEntryUsage } from './item-entry-usage';
import { ItemReads, PlanReads } from './item-reads.service';
import { PlanUsage } from './plan-usage';

/** Reads of plans and items for other libs (no controllers, no dependencies), and the entries' and cycles' answers about items and plans. */
@Module({ providers: [ItemReads, PlanReads, ItemEntryUsage, PlanUsage], exports: [ItemReads, PlanReads, ItemEntryUsage, PlanUsage] })
export class PlanItemReadsModule {}
