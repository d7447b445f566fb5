import { Module } from '@nestjs/common';
import { RemindersController } from './reminders.controller';
import { RemindersModule } from './reminders.module';

/** The HTTP surface of reminders, imported by the api app only. */
@Module({
  imports: [RemindersModule],
  controllers: [RemindersController],
})
export class RemindersApiModule {}
