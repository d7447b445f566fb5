import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfigFromProcess } from '@app/config';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigFromProcess();
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: levelsFrom(config.LOG_LEVEL),
  });
  configureApp(app);
  await app.listen(config.PORT);
  new Logger('api').log(`listening on ${config.PUBLIC_URL} (docs: ${config.PUBLIC_URL}/api/docs)`);
}

function levelsFrom(level: string) {
  const all = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return all.slice(0, all.indexOf(level as (typeof all)[number]) + 1);
}

void main();
