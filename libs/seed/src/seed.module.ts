import { Module } from '@nestjs/common';
import { CyclesModule } from '@app/cycles';
import { EntriesModule } from '@app/entries';
import { SeedHistoryService } from './seed-history.service';
import { SeedTemplatesService } from './seed-templates.service';
import { SeedService } from './seed.service';

/** Provides the seed services to an application context (AppConfig, DataSource and AuditService come from the host). */
@Module({
  imports: [CyclesModule, EntriesModule],
  providers: [SeedService, SeedTemplatesService, SeedHistoryService],
  exports: [SeedService, SeedTemplatesService, SeedHistoryService],
})
export class SeedModule {}
