import { Module } from '@nestjs/common';
import { EntryLookupService } from './entry-lookup.service';

/** Entries' typed reads only (no cycles, no forms): what reminders and personnel read of them. */
@Module({ providers: [EntryLookupService], exports: [EntryLookupService] })
export class EntryLookupModule {}
