// The api in its own process for the HTTP benches: its latency is not the load generator's, and
// its resident memory is its own. Started by bench/child.ts with the bench's settings.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigFromProcess } from '@app/config';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/bootstrap';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfigFromProcess()), { logger: ['error'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  process.stdout.write(`api-ready ${typeof address === 'object' && address ? address.port : 0}\n`);
}

process.on('SIGTERM', () => process.exit(0));

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
