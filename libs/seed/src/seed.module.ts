import { Module } from '@nestjs/common';
import { CyclesModule } from '@app/cycles';
import { SeedHistoryService } from './seed-history.service';
import { SeedService } from './seed.service';

/** Provides the seed services to an application context (AppConfig, DataSource and AuditService come from the host). */
@Module({ imports: [CyclesModule], providers: [SeedService, SeedHistoryService], exports: [SeedService, SeedHistoryService] })
export class SeedModule {}
