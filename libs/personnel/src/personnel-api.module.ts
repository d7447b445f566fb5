import { Module } from '@nestjs/common';
import { PersonnelModule } from './personnel.module';
import { TransfersController } from './transfers.controller';

/** The HTTP surface of libs/personnel, imported by the api app only. */
@Module({ imports: [PersonnelModule], controllers: [TransfersController] })
export class PersonnelApiModule {}
