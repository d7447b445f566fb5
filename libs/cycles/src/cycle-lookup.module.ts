import { Module } from '@nestjs/common';
import { CycleLookupService } from './cycle-lookup.service';

/** Cycles' typed reads only: what reminders read of them. */
@Module({ providers: [CycleLookupService], exports: [CycleLookupService] })
export class CycleLookupModule {}
