import { Module } from '@nestjs/common';
import { OrgLookupService } from './org-lookup.service';

/** The organisation's typed reads only (no controllers, no auth): what reminders, personnel and audit read of it. */
@Module({ providers: [OrgLookupService], exports: [OrgLookupService] })
export class OrgLookupModule {}
