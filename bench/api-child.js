// The compiled api (dist/, as `npm run build` makes it and production runs it) in its own
// process, for the HTTP benches: its latency is not the load generator's and its resident
// memory is its own and free of ts-node. Started by bench/child.ts with the bench's settings.
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const dist = `${__dirname}/../dist/apps/api`;
const { loadConfigFromProcess } = require(`${dist}/config/src`);
const { AppModule } = require(`${dist}/apps/api/src/app.module`);
const { configureApp } = require(`${dist}/apps/api/src/bootstrap`);

async function main() {
  const app = await NestFactory.create(AppModule.forRoot(loadConfigFromProcess()), { logger: ['error'] });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  process.stdout.write(`api-ready ${typeof address === 'object' && address ? address.port : 0}\n`);
}

process.on('SIGTERM', () => process.exit(0));
main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
