import { Module } from '@nestjs/common';
import { CycleLookupModule } from '@app/cycles/cycle-lookup.module';
import { EntryLookupModule } from '@app/entries/entry-lookup.module';
import { ItemLookupModule } from '@app/plan-items/item-lookup.module';
import { RemindersController } from './reminders.controller';
import { RemindersModule } from './reminders.module';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';

/** The HTTP surface of reminders, imported by the api app only. */
@Module({
  imports: [RemindersModule, EntryLookupModule, ItemLookupModule, CycleLookupModule],
  controllers: [RemindersController, NotificationsController],
  providers: [NotificationsService],
})
export class RemindersApiModule {}
