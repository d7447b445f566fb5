import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AuditModule } from '@app/audit';
import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { QueueModule } from '@app/queue';
import { RemindersModule } from '@app/reminders';
import { ReportsModule } from '@app/reports';
import { SeedModule } from './seed.module';

/**
 * What `npm run seed` boots: the seed plus the modules whose event handlers must run when
 * it opens cycles (the reminder outbox) and publishes them (the frozen publication, which the
 * public site reads), without HTTP and without job processors.
 */
@Module({})
export class SeedAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SeedAppModule,
      imports: [
        AppConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        DatabaseModule,
        QueueModule,
        AuditModule,
        RemindersModule,
        ReportsModule,
        SeedModule,
      ],
    };
  }
}
