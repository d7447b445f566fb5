import { Module } from '@nestjs/common';
import { ItemImportService } from './import/item-import.service';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';

/** Plans, their items (with responsible sections and KPIs) and the CSV/XLSX import. */
@Module({
  controllers: [PlansController, ItemsController],
  providers: [PlansService, ItemsService, ItemImportService],
  exports: [PlansService, ItemsService],
})
export class PlanItemsModule {}
