import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CyclesModule } from '@app/cycles';
import { Entry } from './entities/entry.entity';
import { EntriesService } from './entries.service';
import { EntryViewsService } from './entry-views.service';

@Module({
  imports: [TypeOrmModule.forFeature([Entry]), CyclesModule],
  providers: [EntriesService, EntryViewsService],
  exports: [EntriesService, EntryViewsService],
})
export class EntriesModule {}
