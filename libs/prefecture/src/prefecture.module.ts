import { Module } from '@nestjs/common';
import { CyclesModule } from '@app/cycles';
import { ReportsModule } from '@app/reports';
import { ComparisonService } from './comparison.service';
import { PrefectureController } from './prefecture.controller';
import { SharedTemplatesService } from './shared-templates.service';

/** A prefecture over its municipalities (docs/tenancy.md "Prefecture"); imported by the api app. */
@Module({
  imports: [CyclesModule, ReportsModule],
  controllers: [PrefectureController],
  providers: [SharedTemplatesService, ComparisonService],
  exports: [SharedTemplatesService, ComparisonService],
})
export class PrefectureModule {}
