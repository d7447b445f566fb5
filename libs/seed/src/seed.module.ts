import { Module } from '@nestjs/common';
import { SeedService } from './seed.service';

/** Provides SeedService to an application context (AppConfig, DataSource and AuditService come from the host). */
@Module({ providers: [SeedService], exports: [SeedService] })
export class SeedModule {}
