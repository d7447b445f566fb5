import { Module } from '@nestjs/common';
import { OrgModule } from '@app/org';
import { PersonnelModule } from './personnel.module';
import { OrgReformController } from './reform/org-reform.controller';
import { OrgReformService } from './reform/org-reform.service';
import { TransfersController } from './transfers.controller';

/** The HTTP surface of libs/personnel, imported by the api app only (機構改革 uses libs/org's section and department services). */
@Module({ imports: [PersonnelModule, OrgModule], controllers: [TransfersController, OrgReformController], providers: [OrgReformService] })
export class PersonnelApiModule {}
