import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appLogger } from '@app/common';
import { loadConfigFromProcess } from '@app/config';
import { assertRedisNoEviction } from './redis-policy.check';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const logger = new Logger('worker');
  const config = loadConfigFromProcess();
  try {
    await assertRedisNoEviction(config);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: appLogger(config, 'hyoka-worker') });
  // SIGTERM: Nest closes the BullMQ workers, which wait for their running jobs (a reminder job
  // finishes its mails). A job that does not end within the grace period (an SMTP server that
  // stopped answering) does not hold the exit: its lock runs out and another worker runs it again.
  app.enableShutdownHooks();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.error(`${signal}: jobs still running after ${config.SHUTDOWN_GRACE_SECONDS} s, exiting anyway`);
        process.exit(1);
      }, config.SHUTDOWN_GRACE_SECONDS * 1000).unref();
    });
  }
  logger.log('worker started');
}

void main();
