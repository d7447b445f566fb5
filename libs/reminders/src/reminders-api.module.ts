import { Module } from '@nestjs/common';
import { RemindersController } from './reminders.controller';
import { RemindersModule } from './reminders.module';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';

/** The HTTP surface of reminders, imported by the api app only. */
@Module({
  imports: [RemindersModule],
  controllers: [RemindersController, NotificationsController],
  providers: [NotificationsService],
})
export class RemindersApiModule {}
