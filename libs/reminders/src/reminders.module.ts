import { Module } from '@nestjs/common';
import { ApprovalsModule } from '@app/approvals';
import { DelegationLookupModule } from '@app/approvals/delegation-lookup.module';
import { CyclesModule } from '@app/cycles';
import { CycleReadsModule } from '@app/cycles/cycle-reads.module';
import { EntryReadsModule } from '@app/entries/reads/entry-reads.module';
import { OrgDirectoryModule } from '@app/org/directory/org-directory.module';
import { PlanItemReadsModule } from '@app/plan-items/reads/plan-item-reads.module';
import { OutboxRedisService } from './outbox-redis.service';
import { MailTransportService } from './mail-transport.service';
import { NoticeOutboxService } from './notices/notice-outbox.service';
import { NoticeComposerService } from './notices/notice-composer.service';
import { PendingWorkService } from './pending-work.service';
import { ReminderContentService } from './reminder-content.service';
import { ReminderPlannerService } from './reminder-planner.service';
import { ReminderRelayService } from './reminder-relay.service';
import { ReminderSenderService } from './reminder-sender.service';
import { RemindersService } from './reminders.service';
import { DailyMailService } from './daily/daily-mail.service';

/**
 * The reminder outbox. Imported by the api and the worker alike: both open cycles (so both
 * must plan reminders in that transaction); only the worker runs relay, sweeper and sender jobs.
 */
@Module({
  imports: [ApprovalsModule, DelegationLookupModule, CyclesModule, OrgDirectoryModule, EntryReadsModule, PlanItemReadsModule, CycleReadsModule],
  providers: [
    OutboxRedisService,
    PendingWorkService,
    ReminderContentService,
    ReminderPlannerService,
    ReminderRelayService,
    ReminderSenderService,
    MailTransportService,
    RemindersService,
    NoticeOutboxService,
    NoticeComposerService,
    DailyMailService,
  ],
  exports: [ReminderRelayService, ReminderSenderService, ReminderContentService, RemindersService],
})
export class RemindersModule {}
