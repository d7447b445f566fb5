import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appLogger } from '@app/common';
import { loadConfigFromProcess } from '@app/config';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigFromProcess();
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: appLogger(config, 'hyoka-api') });
  configureApp(app);
  await app.listen(config.PORT);
  new Logger('api').log(`listening on ${config.PUBLIC_URL} (docs: ${config.PUBLIC_URL}/api/docs)`);
}

void main();
