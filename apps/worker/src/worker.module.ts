import type { WorkerHost } from '@nestjs/bullmq';
import { DynamicModule, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig, AppConfigModule } from '@app/config';
import { DomainEvent, requireListeners } from '@app/common';
import { DatabaseModule } from '@app/database';
import { QueueName, WorkerQueueModule } from '@app/queue';
import { AuditModule } from '@app/audit';
import { CyclesModule } from '@app/cycles';
import { EntriesModule } from '@app/entries';
import { PersonnelModule } from '@app/personnel';
import { RemindersModule } from '@app/reminders';
import { JobSchedulers } from './job-schedulers';
import { QueueLiveness } from './queue-liveness';
import { CyclesProcessor } from './processors/cycles.processor';
import { PersonnelProcessor } from './processors/personnel.processor';
import { RemindersProcessor } from './processors/reminders.processor';

/** The processor of each queue: a queue added without one does not compile. */
export const QUEUE_PROCESSORS = {
  [QueueName.Cycles]: CyclesProcessor,
  [QueueName.Reminders]: RemindersProcessor,
  [QueueName.Personnel]: PersonnelProcessor,
} as const satisfies Record<QueueName, Type<WorkerHost>>;

/** The worker: BullMQ processors and job schedulers, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        ScheduleModule.forRoot(),
        DatabaseModule,
        WorkerQueueModule,
        AuditModule,
        CyclesModule,
        // Opening a cycle writes its entries through libs/entries (CycleEntryWriter).
        EntriesModule,
        RemindersModule,
        PersonnelModule,
      ],
      // The worker opens cycles (reminder rows are planned by the listener) and applies 人事異動 on their
      // date (the new approvers are asked by a 承認依頼 notice), but routes no submits.
      providers: [...Object.values(QUEUE_PROCESSORS), JobSchedulers, QueueLiveness, requireListeners(DomainEvent.CycleOpened, DomainEvent.EntryAwaitingReview)],
    };
  }
}
