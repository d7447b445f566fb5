import { Module } from '@nestjs/common';
import { OrgNamesService } from './org-names.service';

/** Names of the time (no controllers, no auth): what the reports read for earlier periods. */
@Module({ providers: [OrgNamesService], exports: [OrgNamesService] })
export class OrgNamesModule {}
