import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AppConfig, AppConfigModule } from '@app/config';
import { DomainEvent, requireListeners } from '@app/common';
import { DatabaseModule } from '@app/database';
import { QueueModule } from '@app/queue';
import { AuthModule } from '@app/auth';
import { AuditApiModule, AuditModule } from '@app/audit';
import { CyclesApiModule } from '@app/cycles';
import { EntriesApiModule } from '@app/entries';
import { RemindersApiModule } from '@app/reminders';
import { ReportsApiModule } from '@app/reports';
import { PublicSiteModule } from '@app/public-site';
import { PrefectureModule } from '@app/prefecture';
import { ApprovalsApiModule } from '@app/approvals';
import { OrgModule } from '@app/org';
import { PersonnelApiModule } from '@app/personnel';
import { PlanItemsModule } from '@app/plan-items';
import { HealthModule } from './health/health.module';
import { SystemInfoModule } from './system-info/system-info.controller';
import { WebModule } from './web/web.module';

/** The HTTP application: every capability module plus health and docs. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        DatabaseModule,
        QueueModule,
        AuthModule,
        AuditModule,
        AuditApiModule,
        CyclesApiModule,
        EntriesApiModule,
        RemindersApiModule,
        ReportsApiModule,
        PrefectureModule,
        PublicSiteModule,
        ApprovalsApiModule,
        OrgModule,
        PlanItemsModule,
        PersonnelApiModule,
        HealthModule,
        SystemInfoModule,
        WebModule,
      ],
      // Submits are routed, returns and openings plan mail: without their listeners, silently not.
      providers: [
        requireListeners(
          DomainEvent.EntrySubmitting,
          DomainEvent.EntryReturned,
          DomainEvent.CycleOpened,
          DomainEvent.EntryActedFor,
          DomainEvent.DelegationRecorded,
          DomainEvent.DelegationConfirmed,
          DomainEvent.EntryAwaitingReview,
          DomainEvent.CycleStateChanged,
          DomainEvent.AccountLocked,
          DomainEvent.CyclePublished,
        ),
      ],
    };
  }
}
