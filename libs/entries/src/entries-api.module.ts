import { Module } from '@nestjs/common';
import { EntriesController } from './entries.controller';
import { EntriesModule } from './entries.module';
import { ScopeValuesController } from './scope-values/scope-values.controller';

@Module({ imports: [EntriesModule], controllers: [EntriesController, ScopeValuesController] })
export class EntriesApiModule {}
