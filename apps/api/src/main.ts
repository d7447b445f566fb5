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
  // Not Nest's enableShutdownHooks: that closes at once, cutting requests and keep-alive clients.
  const shutdown = configureApp(app);
  shutdown.listen(app, config.SHUTDOWN_GRACE_SECONDS);
  await app.listen(config.PORT, config.BIND_ADDRESS);
  new Logger('api').log(
    `listening on ${config.BIND_ADDRESS}:${config.PORT}, ${config.PUBLIC_URL} (docs: ${config.PUBLIC_URL}/api/docs)${config.DEMO_MODE ? ' — demo installation' : ''}`,
  );
}

void main();
