import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CyclesModule } from '@app/cycles';
import { OrgDirectoryModule } from '@app/org';
import { PlanItemReadsModule } from '@app/plan-items';
import { Entry } from './entities/entry.entity';
import { EntriesService } from './entries.service';
import { EntryViewsService } from './entry-views.service';
import { EntryReadGrants } from './entry-read-grants';
import { FormContextService } from './form-context.service';
import { ScopeValuesService } from './scope-values/scope-values.service';
import { EntryCycleWrites } from './reads/entry-cycle-writes';
import { EntryItemUsage } from './reads/entry-item-usage';
import { EntryReadsModule } from './reads/entry-reads.module';

@Module({
  imports: [TypeOrmModule.forFeature([Entry]), CyclesModule, OrgDirectoryModule, PlanItemReadsModule, EntryReadsModule],
  providers: [EntriesService, EntryViewsService, FormContextService, ScopeValuesService, EntryReadGrants, EntryItemUsage, EntryCycleWrites],
  exports: [EntriesService, EntryViewsService, FormContextService, ScopeValuesService, EntryReadGrants, EntryReadsModule],
})
export class EntriesModule {}
