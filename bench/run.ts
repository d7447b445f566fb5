import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createTestDatabase, dropTestDatabase, testConfig } from '../test/utils/test-database';
import { SmtpSink } from '../test/utils/smtp-sink';
import { clearQueuePrefix } from '../test/utils/test-app';
import { BenchFigure } from './bench-result';
import type { Harness } from './harness';
import { approveApiBench } from './approve-api.bench';
import { auditChainBench } from './audit-chain.bench';
import { bulkApproveBench } from './bulk-approve.bench';
import { deadlinePeakBench } from './deadline-peak.bench';
import { exportXlsxBench } from './export-xlsx.bench';
import { inboxApiBench } from './inbox-api.bench';
import { loginApiBench } from './login-api.bench';
import { morningPeakBench } from './morning-peak.bench';
import { openCycleBench } from './open-cycle.bench';
import { readScaleBench } from './read-scale.bench';
import { redisFlatBench } from './redis-flat.bench';
import { reminderFanoutBench } from './reminder-fanout.bench';
import { tenantPeakBench } from './tenant-peak.bench';
import { fmt } from './stats';

/**
 * `npm run bench`: every figure against its raw baseline, measured in the same run on this
 * machine, written to BENCHMARKS.md. Each bench gets a fresh database and Redis prefix.
 */
const LOAD_AT_START = os.loadavg();
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);

type Bench = (h: Harness) => Promise<BenchFigure | BenchFigure[]>;

const BENCHES: Record<string, Bench> = {
  'open-cycle': async (h) => {
    const { app, config } = await h.worker();
    return openCycleBench(app, config, h.runs);
  },
  'reminder-fanout': reminderFanoutBench,
  'morning-peak': morningPeakBench,
  'approve-api': approveApiBench,
  'bulk-approve': bulkApproveBench,
  'deadline-peak': deadlinePeakBench,
  'read-scale': readScaleBench,
  'inbox-api': inboxApiBench,
  'login-api': loginApiBench,
  'export-xlsx': exportXlsxBench,
  'redis-flat': redisFlatBench,
  'audit-chain': auditChainBench,
  'tenant-peak': tenantPeakBench,
};

function harness(): { h: Harness; close: () => Promise<void> } {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const configs: AppConfig[] = [];
  const database = async (overrides: Record<string, string> = {}) => {
    const config = testConfig({ NODE_ENV: 'test', DB_POOL_SIZE: '40', ...overrides });
    await createTestDatabase(config);
    configs.push(config);
    return config;
  };
  const h: Harness = {
    runs: RUNS,
    database,
    worker: async (overrides = {}) => {
      const config = await database(overrides);
      const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error'] });
      cleanups.push(() => app.close());
      await app.init();
      return { app, config };
    },
    mailingWorker: async () => {
      const sink = new SmtpSink();
      await sink.start();
      cleanups.push(() => sink.stop());
      const { app, config } = await h.worker({
        SMTP_PORT: String(sink.port),
        REMINDER_RELAY_EVERY_SECONDS: '3600',
        REMINDER_SWEEP_EVERY_SECONDS: '3600',
      });
      return { app, config, sink };
    },
    cleanup: (fn) => cleanups.push(fn),
  };
  const close = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch((e) => console.error(e));
    for (const config of configs) {
      await clearQueuePrefix(config);
      await dropTestDatabase(config);
    }
  };
  return { h, close };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = only.filter((name) => !(name in BENCHES));
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  const figures: BenchFigure[] = [];
  const started = Date.now();
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only.length && !only.includes(name)) continue;
    process.stdout.write(`bench ${name} ... `);
    const { h, close } = harness();
    const t0 = Date.now();
    try {
      const result = await bench(h);
      for (const figure of Array.isArray(result) ? result : [result]) {
        figures.push(figure);
        console.log(`${figure.title}: ${fmt(figure.measured.median)} ${figure.unit}${figure.met ? '' : ' (target missed)'}`);
      }
    } finally {
      await close();
    }
    console.log(`  (${fmt((Date.now() - t0) / 1000)} s)`);
  }
  // A partial run must not replace the committed figures of the benches it skipped; with
  // --merge it replaces only its own figures in BENCHMARKS.md and says so in the header.
  const out = only.length ? 'bench/last-run.md' : 'BENCHMARKS.md';
  const text = render(figures, await versions(), (Date.now() - started) / 1000);
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
  if (only.length && process.argv.includes('--merge')) {
    writeFileSync('BENCHMARKS.md', merge(readFileSync('BENCHMARKS.md', 'utf8'), text, only));
    console.log('merged its figures into BENCHMARKS.md');
  }
  process.exit(0);
}

async function versions(): Promise<string> {
  const config = testConfig();
  const ds = new DataSource({ type: 'postgres', host: config.DB_HOST, port: config.DB_PORT, username: config.DB_USER, database: 'postgres' });
  await ds.initialize();
  const [{ server_version }] = await ds.query('SHOW server_version');
  await ds.destroy();
  return `Node ${process.version}, PostgreSQL ${server_version}`;
}

function render(figures: BenchFigure[], software: string, seconds: number): string {
  const cpu = os.cpus();
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Every figure is the median of several runs with min and max,',
    'beside a raw baseline measured in the same run on the same machine. Regenerate after changes that touch',
    'a hot path; do not edit by hand.',
    '',
    `Machine: ${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB RAM; ${software}.`,
    `Generated ${new Date().toISOString()}; runs per figure: ${RUNS}; whole run ${fmt(seconds / 60)} min; load average at the start ${LOAD_AT_START.map((l) => fmt(l, 2)).join(' / ')}, at the end ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(' / ')} (other work on the machine inflates every figure, system and baseline alike).${process.env.BENCH_NOTE ? ` ${process.env.BENCH_NOTE}` : ''}`,
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
    lines.push(
      `- Runs (${f.unit}): ${f.measured.runs.map((r) => fmt(r)).join(', ')}${f.baseline ? `; baseline: ${f.baseline.runs.map((r) => fmt(r)).join(', ')}` : ''}.`,
    );
    if (!f.met) lines.push(`- **Target missed.** See the notes above for why.`);
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * BENCHMARKS.md with the table rows and sections of `partial` (a partial run's rendering) in
 * place of those of the same title (new ones appended), the rest as it was, and a header line
 * saying which benches were run again, when and at what load.
 */
function merge(full: string, partial: string, benches: string[]): string {
  const parse = (text: string) => {
    const [head, ...sections] = text.split(/\n(?=## )/);
    const lines = head.split('\n');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| figure |'));
    const intro = lines.filter((l) => !rows.includes(l) && !l.startsWith('| figure |') && !l.startsWith('|---'));
    const title = (chunk: string) => chunk.split('\n')[0].replace(/^## /, '').trim();
    return { intro, rows, sections: sections.map((body) => ({ title: title(body), body: body.trimEnd() })) };
  };
  const a = parse(full);
  const b = parse(partial);
  const rowTitle = (row: string) => row.split('|')[1].trim();
  const rows = [...a.rows];
  for (const row of b.rows) {
    const i = rows.findIndex((r) => rowTitle(r) === rowTitle(row));
    if (i >= 0) rows[i] = row;
    else rows.push(row);
  }
  const sections = [...a.sections];
  for (const section of b.sections) {
    const i = sections.findIndex((x) => x.title === section.title);
    if (i >= 0) sections[i] = section;
    else sections.push(section);
  }
  const generated = b.intro.find((l) => l.startsWith('Generated ')) ?? '';
  const note = `Partly regenerated: the figures of ${benches.join(', ')} come from a later partial run (\`npm run bench -- ${benches.join(' ')} --merge\`), ${generated.replace(/^Generated /, 'generated ')}`;
  // Earlier partial runs keep their line while one of their benches still stands from them.
  const named = (line: string) => /the figures of (.+?) come from/.exec(line)?.[1].split(', ') ?? [];
  const partly = a.intro.filter((l) => l.startsWith('Partly regenerated'));
  const intro = a.intro.filter((l) => {
    if (!l.startsWith('Partly regenerated')) return true;
    const later = [...partly.slice(partly.indexOf(l) + 1).flatMap(named), ...benches];
    return named(l).some((bench) => !later.includes(bench));
  });
  while (intro.length && intro[intro.length - 1].trim() === '') intro.pop();
  return [
    ...intro,
    note,
    '',
    '| figure | measured (median, min–max) | baseline (median, min–max) | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    ...sections.map((s) => `${s.body}\n`),
  ].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
