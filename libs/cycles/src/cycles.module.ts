import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgDirectoryModule } from '@app/org';
import { PlanItemReadsModule } from '@app/plan-items';
import { CycleOpeningService } from './cycle-opening.service';
import { CycleEntryWriter } from './cycle-entry-writer';
import { CyclePlanUsage } from './cycle-plan-usage';
import { CycleReadsModule } from './cycle-reads.module';
import { CycleRoutesService } from './cycle-routes.service';
import { CyclesService } from './cycles.service';
import { CycleTemplate } from './entities/cycle-template.entity';
import { Cycle } from './entities/cycle.entity';
import { RatingScaleRow } from './entities/rating-scale.entity';
import { RatingScalesService } from './rating-scales.service';
import { TemplatesService } from './templates.service';

/** Templates, rating scales and cycles; the services are shared by the api and the worker. */
@Module({
  imports: [TypeOrmModule.forFeature([CycleTemplate, Cycle, RatingScaleRow]), OrgDirectoryModule, PlanItemReadsModule, CycleReadsModule],
  providers: [RatingScalesService, TemplatesService, CyclesService, CycleOpeningService, CycleRoutesService, CyclePlanUsage, CycleEntryWriter],
  exports: [RatingScalesService, TemplatesService, CyclesService, CycleRoutesService, CycleReadsModule, CycleEntryWriter],
})
export class CyclesModule {}
