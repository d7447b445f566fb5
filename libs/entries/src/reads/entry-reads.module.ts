import { Module } from '@nestjs/common';
import { OrgDirectoryModule } from '@app/org/directory/org-directory.module';
import { PlanItemReadsModule } from '@app/plan-items/reads/plan-item-reads.module';
import { EntryReads } from './entry-reads.service';

/** Entries' typed reads for other libs (no controllers, no cycles, no forms): reports, reminders and personnel read them here. */
@Module({ imports: [OrgDirectoryModule, PlanItemReadsModule], providers: [EntryReads], exports: [EntryReads] })
export class EntryReadsModule {}
