import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CyclesModule } from '@app/cycles';
import { Entry } from './entities/entry.entity';
import { EntriesService } from './entries.service';
import { EntryViewsService } from './entry-views.service';
import { FormContextService } from './form-context.service';
import { ScopeValuesService } from './scope-values/scope-values.service';

@Module({
  imports: [TypeOrmModule.forFeature([Entry]), CyclesModule],
  providers: [EntriesService, EntryViewsService, FormContextService, ScopeValuesService],
  exports: [EntriesService, EntryViewsService, FormContextService, ScopeValuesService],
})
export class EntriesModule {}
