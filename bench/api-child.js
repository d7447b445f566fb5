// The compiled api (dist/, as `npm run build` makes it and production runs it) in its own
// process, for the HTTP benches: its latency is not the load generator's and its resident
// memory is its own and free of ts-node. Started by bench/child.ts with the bench's settings.
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
// BENCH_DIST: another build of the api (e.g. one from before a change, for a before/after in the same conditions).
const dist = `${process.env.BENCH_DIST || `${__dirname}/../dist`}/apps/api`;
const { loadConfigFromProcess } = require(`${dist}/config/src`);
const { AppModule } = require(`${dist}/apps/api/src/app.module`);
const { configureApp } = require(`${dist}/apps/api/src/bootstrap`);

// BENCH_COUNT_QUERIES: counts the statements the api sends, between `count-start` and
// `count-stop` written to its stdin (answered with a `query-counts {json}` line). Every pg
// query() is one round trip (pg sends parse/bind/execute/sync together); a string of several
// statements separated by ; is one round trip of several statements. Off, it costs one test.
if (process.env.BENCH_COUNT_QUERIES) {
  const { Client } = require('pg');
  const query = Client.prototype.query;
  let counts = null;
  Client.prototype.query = function (config, ...rest) {
    const text = typeof config === 'string' ? config : config && config.text;
    if (counts && typeof text === 'string') {
      counts.roundTrips++;
      const head = text.replace(/\s+/g, ' ').trim().slice(0, 90);
      counts.texts[head] = (counts.texts[head] || 0) + 1;
      for (const statement of text.split(/;\s*(?=\S)/)) {
        const kind = ((/^\s*(\w+)/.exec(statement) || [])[1] || '?').toUpperCase();
        counts.statements[kind] = (counts.statements[kind] || 0) + 1;
      }
    }
    return query.call(this, config, ...rest);
  };
  let input = '';
  process.stdin.on('data', (d) => {
    input += d.toString();
    let nl;
    while ((nl = input.indexOf('\n')) >= 0) {
      const command = input.slice(0, nl).trim();
      input = input.slice(nl + 1);
      if (command === 'count-start') counts = { roundTrips: 0, statements: {}, texts: {} };
      if (command === 'count-stop') {
        process.stdout.write(`query-counts ${JSON.stringify(counts)}\n`);
        counts = null;
      }
    }
  });
}

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
