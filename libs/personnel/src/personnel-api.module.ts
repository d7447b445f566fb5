import { Module } from '@nestjs/common';
import { CycleLookupModule } from '@app/cycles/cycle-lookup.module';
import { EntryLookupModule } from '@app/entries/entry-lookup.module';
import { OrgModule } from '@app/org';
import { OrgLookupModule } from '@app/org/org-lookup.module';
import { PersonnelModule } from './personnel.module';
import { OrgReformController } from './reform/org-reform.controller';
import { OrgReformService } from './reform/org-reform.service';
import { TransfersController } from './transfers.controller';

/** The HTTP surface of libs/personnel, imported by the api app only (機構改革 uses libs/org's section and department services). */
@Module({
  imports: [PersonnelModule, OrgModule, OrgLookupModule, EntryLookupModule, CycleLookupModule],
  controllers: [TransfersController, OrgReformController],
  providers: [OrgReformService],
})
export class PersonnelApiModule {}
