import { Module } from '@nestjs/common';
import { CyclesModule } from '@app/cycles';
import { PublicReportsController } from './public-reports.controller';
import { CycleRecordController } from './record/cycle-record.controller';
import { ReportsController } from './reports.controller';
import { ReportsModule } from './reports.module';

/** The HTTP surface of reports (internal and public), imported by the api app only. */
@Module({ imports: [ReportsModule, CyclesModule], controllers: [ReportsController, PublicReportsController, CycleRecordController] })
export class ReportsApiModule {}
