import { Module } from '@nestjs/common';
import { CycleReads } from './cycle-reads.service';

/** Cycles' typed reads for other libs (no controllers, no dependencies): reports, reminders and personnel read them here. */
@Module({ providers: [CycleReads], exports: [CycleReads] })
export class CycleReadsModule {}
