import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CycleOpeningService } from './cycle-opening.service';
import { CycleLookupService } from './cycle-lookup.service';
import { CycleRoutesService } from './cycle-routes.service';
import { CyclesService } from './cycles.service';
import { CycleTemplate } from './entities/cycle-template.entity';
import { Cycle } from './entities/cycle.entity';
import { RatingScaleRow } from './entities/rating-scale.entity';
import { RatingScalesService } from './rating-scales.service';
import { TemplatesService } from './templates.service';

/** Templates, rating scales and cycles; the services are shared by the api and the worker. */
@Module({
  imports: [TypeOrmModule.forFeature([CycleTemplate, Cycle, RatingScaleRow])],
  providers: [RatingScalesService, TemplatesService, CyclesService, CycleOpeningService, CycleRoutesService, CycleLookupService],
  exports: [RatingScalesService, TemplatesService, CyclesService, CycleRoutesService, CycleLookupService],
})
export class CyclesModule {}
