import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CyclesModule } from '@app/cycles';
import { OrgLookupModule } from '@app/org';
import { ItemLookupModule } from '@app/plan-items';
import { Entry } from './entities/entry.entity';
import { EntriesService } from './entries.service';
import { EntryViewsService } from './entry-views.service';
import { EntryLookupService } from './entry-lookup.service';
import { EntryReadGrants } from './entry-read-grants';
import { FormContextService } from './form-context.service';
import { ScopeValuesService } from './scope-values/scope-values.service';

@Module({
  imports: [TypeOrmModule.forFeature([Entry]), CyclesModule, OrgLookupModule, ItemLookupModule],
  providers: [EntriesService, EntryViewsService, FormContextService, ScopeValuesService, EntryReadGrants, EntryLookupService],
  exports: [EntriesService, EntryViewsService, FormContextService, ScopeValuesService, EntryReadGrants, EntryLookupService],
})
export class EntriesModule {}
