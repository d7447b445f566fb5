import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
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
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config));
  app.enableShutdownHooks();
  logger.log('worker started');
}

void main();
