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
  app.enableShutdownHooks();
  logger.log('worker started');
}

void main();
