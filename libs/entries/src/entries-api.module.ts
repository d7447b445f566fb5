import { Module } from '@nestjs/common';
import { EntriesController } from './entries.controller';
import { EntriesModule } from './entries.module';

@Module({ imports: [EntriesModule], controllers: [EntriesController] })
export class EntriesApiModule {}
