// A worker in its own process, so a test can SIGKILL it like a crashed container.
// Started by test/utils/worker-process.ts with the suite's settings in the environment.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigFromProcess } from '@app/config';
import { WorkerModule } from '../../apps/worker/src/worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfigFromProcess()), {
    logger: ['error'],
  });
  await app.init();
  process.stdout.write('worker-ready\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
