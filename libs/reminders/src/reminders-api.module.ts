import { Module } from '@nestjs/common';
import { CycleReadsModule } from '@app/cycles/cycle-reads.module';
import { EntryReadsModule } from '@app/entries/reads/entry-reads.module';
import { PlanItemReadsModule } from '@app/plan-items/reads/plan-item-reads.module';
import { RemindersController } from './reminders.controller';
import { RemindersModule } from './reminders.module';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';

/** The HTTP surface of reminders, imported by the api app only. */
@Module({
  imports: [RemindersModule, EntryReadsModule, PlanItemReadsModule, CycleReadsModule],
  controllers: [RemindersController, NotificationsController],
  providers: [NotificationsService],
})
export class RemindersApiModule {}
