import { Module } from '@nestjs/common';
import { OrgDirectoryModule } from '@app/org';
import { PlanItemReadsModule } from './reads/plan-item-reads.module';
import { ItemExportService } from './export/item-export.service';
import { ItemImportService } from './import/item-import.service';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';

/** Plans, their items (with responsible sections and KPIs) and the CSV/XLSX import and export. */
@Module({
  imports: [PlanItemReadsModule, OrgDirectoryModule],
  controllers: [PlansController, ItemsController],
  providers: [PlansService, ItemsService, ItemImportService, ItemExportService],
  exports: [PlansService, ItemsService],
})
export class PlanItemsModule {}
