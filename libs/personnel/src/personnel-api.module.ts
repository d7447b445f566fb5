import { Module } from '@nestjs/common';
import { PersonnelModule } from './personnel.module';
import { OrgReformController } from './reform/org-reform.controller';
import { TransfersController } from './transfers.controller';

/** The HTTP surface of libs/personnel, imported by the api app only. */
@Module({ imports: [PersonnelModule], controllers: [TransfersController, OrgReformController] })
export class PersonnelApiModule {}
