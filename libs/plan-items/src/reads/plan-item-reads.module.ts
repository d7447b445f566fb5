import { Module } from '@nestjs/common';
import { ItemReads, PlanReads } from './item-reads.service';

/** Reads of plans and items for other libs (no controllers, no dependencies). */
@Module({ providers: [ItemReads, PlanReads], exports: [ItemReads, PlanReads] })
export class PlanItemReadsModule {}
