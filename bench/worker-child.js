// The compiled worker (dist/, as production runs it) in its own process, for the benches that
// measure mail going out while the api serves pages: its CPU and event loop are its own, as in
// production where api and worker are separate containers. Started by bench/child.ts.
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const dist = `${process.env.BENCH_DIST || `${__dirname}/../dist`}/apps/worker`;
const { loadConfigFromProcess } = require(`${dist}/config/src`);
const { WorkerModule } = require(`${dist}/apps/worker/src/worker.module`);

async function main() {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfigFromProcess()), { logger: ['error'] });
  await app.init();
  process.stdout.write('worker-ready\n');
}

process.on('SIGTERM', () => process.exit(0));
main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
