import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CyclesModule } from '@app/cycles';
import { OrgDirectoryModule, OrgLookupModule } from '@app/org';
import { ItemLookupModule, PlanItemReadsModule } from '@app/plan-items';
import { Entry } from './entities/entry.entity';
import { EntriesService } from './entries.service';
import { EntryViewsService } from './entry-views.service';
import { EntryLookupService } from './entry-lookup.service';
import { EntryReadGrants } from './entry-read-grants';
import { FormContextService } from './form-context.service';
import { ScopeValuesService } from './scope-values/scope-values.service';
import { EntryCycleWrites } from './reads/entry-cycle-writes';
import { EntryItemUsage } from './reads/entry-item-usage';
import { EntryReads } from './reads/entry-reads.service';

@Module({
  imports: [TypeOrmModule.forFeature([Entry]), CyclesModule, OrgDirectoryModule, PlanItemReadsModule, OrgLookupModule, ItemLookupModule],
  providers: [
    EntriesService,
    EntryViewsService,
    FormContextService,
    ScopeValuesService,
    EntryReadGrants,
    EntryReads,
    EntryItemUsage,
    EntryCycleWrites,
    EntryLookupService,
  ],
  exports: [EntriesService, EntryViewsService, FormContextService, ScopeValuesService, EntryReadGrants, EntryReads, EntryLookupService],
})
export class EntriesModule {}
