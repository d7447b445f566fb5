import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createTestDatabase, dropTestDatabase, testConfig } from '../test/utils/test-database';
import { clearQueuePrefix } from '../test/utils/test-app';
import { BenchFigure } from './bench-result';
import { openCycleBench } from './open-cycle.bench';
import { fmt } from './stats';

/**
 * `npm run bench`: every figure against its raw baseline, measured in the same run on this
 * machine, written to BENCHMARKS.md. Each bench gets a fresh database and Redis prefix.
 */
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);

type Bench = (ctx: Awaited<ReturnType<typeof boot>>) => Promise<BenchFigure>;

const BENCHES: Record<string, Bench> = {
  'open-cycle': ({ app, config }) => openCycleBench(app, config, RUNS),
};

async function boot() {
  const config = testConfig({ NODE_ENV: 'test', DB_POOL_SIZE: '40' });
  await createTestDatabase(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
  await app.init();
  return { app, config };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const figures: BenchFigure[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only.length && !only.includes(name)) continue;
    process.stdout.write(`bench ${name} ... `);
    const ctx = await boot();
    try {
      const figure = await bench(ctx);
      figures.push(figure);
      console.log(`${fmt(figure.measured.median)} ${figure.unit}${figure.met ? '' : ' (target missed)'}`);
    } finally {
      await ctx.app.close();
      await clearQueuePrefix(ctx.config);
      await dropTestDatabase(ctx.config);
    }
  }
  writeFileSync('BENCHMARKS.md', render(figures, await versions()));
  console.log('wrote BENCHMARKS.md');
}

async function versions(): Promise<string> {
  const config = testConfig();
  const ds = new DataSource({ type: 'postgres', host: config.DB_HOST, port: config.DB_PORT, username: config.DB_USER, database: 'postgres' });
  await ds.initialize();
  const [{ server_version }] = await ds.query('SHOW server_version');
  await ds.destroy();
  return `Node ${process.version}, PostgreSQL ${server_version}`;
}

function render(figures: BenchFigure[], software: string): string {
  const cpu = os.cpus();
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Every figure is the median of several runs with min and max,',
    'beside a raw baseline measured in the same run on the same machine. Regenerate after changes that touch',
    'a hot path; do not edit by hand.',
    '',
    `Machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB RAM; ${software}.`,
    `Generated ${new Date().toISOString()}; runs per figure: ${RUNS}.`,
    '',
    '| figure | measured (median, min–max) | baseline (median, min–max) | ratio | target | met |',
    '|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const m = `${fmt(f.measured.median)} ${f.unit} (${fmt(f.measured.min)}–${fmt(f.measured.max)})`;
    const b = f.baseline ? `${fmt(f.baseline.median)} ${f.unit} (${fmt(f.baseline.min)}–${fmt(f.baseline.max)})` : '—';
    lines.push(`| ${f.title} | ${m} | ${b} | ${f.ratio === undefined ? '—' : fmt(f.ratio, 2) + '×'} | ${f.target} | ${f.met ? 'yes' : '**no**'} |`);
  }
  lines.push('');
  for (const f of figures) {
    lines.push(`## ${f.title}`, '', `- Measured: ${f.what}.`);
    if (f.baselineWhat) lines.push(`- Baseline: ${f.baselineWhat}.`);
    for (const note of f.notes ?? []) lines.push(`- ${note}`);
    lines.push(`- Runs (${f.unit}): ${f.measured.runs.map((r) => fmt(r)).join(', ')}${f.baseline ? `; baseline: ${f.baseline.runs.map((r) => fmt(r)).join(', ')}` : ''}.`);
    if (!f.met) lines.push(`- **Target missed.** See the notes above for why.`);
    lines.push('');
  }
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
