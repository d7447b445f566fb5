import { Module } from '@nestjs/common';
import { OrgLookupService } from './org-lookup.service';

/** Reads of the organisation for other libs (no controllers, no auth), so the worker may import it too. */
@Module({ providers: [OrgLookupService], exports: [OrgLookupService] })
export class OrgLookupModule {}
