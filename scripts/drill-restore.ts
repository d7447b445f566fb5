import 'reflect-metadata';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfigFromProcess } from '@app/config';
import { AuditChainService } from '@app/audit/audit-chain.service';
import { migrationOptions, tenantConnectionOptions, typeOrmOptions } from '@app/database';
import { redisOptions } from '@app/queue';

/**
 * `npm run drill:restore [-- --keep]`: the backup and restore drill (復元訓練).
 *
 * 1. dumps the database (`pg_dump -Fc`) from one snapshot, and counts every table's rows in that
 *    same snapshot (so a live system may keep writing meanwhile);
 * 2. restores the dump into a new, empty database (`<DB_NAME>_drill_<time>`);
 * 3. runs the migrations on it: there must be none left to run;
 * 4. boots the built api on it (its own port and queue prefix) and asks GET /health for 200;
 * 5. compares the row count of every table with the source's;
 * 6. verifies the restored audit log's hash chain (libs/audit's verifier) and that the source's
 *    last sealed row is in it with the same hash;
 * 7. drops the restored database (kept with --keep) and the dump.
 *
 * Exit code 0 when every check passed, 1 when a check failed, 2 when a step could not be done
 * (each is named). It says what it does not cover: files outside PostgreSQL.
 */

type Outcome = 'ok' | 'failed' | 'not_done';
interface Step {
  name: string;
  outcome: Outcome;
  detail: string;
}

const API_MAIN = resolve(__dirname, '..', 'dist/apps/api/apps/api/src/main.js');
const steps: Step[] = [];

function report(name: string, outcome: Outcome, detail: string): void {
  steps.push({ name, outcome, detail });
  const mark = outcome === 'ok' ? 'OK  ' : outcome === 'failed' ? 'NG  ' : '未実施';
  console.log(`==> [${mark}] ${name}: ${detail}`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) =>
    execFile(cmd, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? fail(new Error(`${cmd} ${error.message.split('\n')[0]}\n${stderr.trim()}`)) : done(stdout),
    ),
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

function getHealth(port: number): Promise<{ status: number; body: string } | null> {
  return new Promise((done) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(null));
  });
}

function admin(config: AppConfig, database: string): Client {
  return new Client({ host: config.DB_HOST, port: config.DB_PORT, user: config.DB_MIGRATION_USER, password: config.DB_MIGRATION_PASSWORD, database });
}

const TABLES_SQL = `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`;
const HEAD_SQL = `SELECT chain_seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_log WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1`;

async function counts(client: Client): Promise<Map<string, number>> {
  const tables: { name: string }[] = (await client.query(TABLES_SQL)).rows;
  const out = new Map<string, number>();
  for (const { name } of tables) out.set(name, Number((await client.query(`SELECT count(*) AS n FROM "${name}"`)).rows[0].n));
  return out;
}

async function main(argv: string[]): Promise<number> {
  const keep = argv.includes('--keep');
  const config = loadConfigFromProcess();
  const source = config.DB_NAME;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const target = `${source}_drill_${stamp}_${randomBytes(2).toString('hex')}`.slice(0, 63);
  // pg_dump and pg_restore read the owner's password from the environment, never from argv (ps shows it).
  const pgEnv = { ...process.env, PGPASSWORD: config.DB_MIGRATION_PASSWORD ?? '', PGCONNECT_TIMEOUT: '10' };
  const conn = ['-h', config.DB_HOST, '-p', String(config.DB_PORT), '-U', config.DB_MIGRATION_USER, '--no-password'];
  const dir = await mkdtemp(join(tmpdir(), 'hyoka-drill-'));
  const dumpFile = join(dir, `${source}.dump`);
  console.log(`復元訓練 / restore drill: ${source} → ${target}`);

  let sourceCounts: Map<string, number>;
  let sourceHead: { seq: string; hash: string } | undefined;
  let created = false;
  try {
    // 1. One snapshot for the dump and the counts.
    const src = admin(config, source);
    try {
      await src.connect();
      await src.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot: string = (await src.query('SELECT pg_export_snapshot() AS s')).rows[0].s;
      sourceCounts = await counts(src);
      [sourceHead] = (await src.query(HEAD_SQL)).rows;
      await run('pg_dump', [...conn, '-Fc', '--snapshot', snapshot, '-f', dumpFile, source], pgEnv);
      await src.query('COMMIT');
      const size = (await stat(dumpFile)).size;
      report('バックアップ (pg_dump -Fc)', 'ok', `${sourceCounts.size} 表、${[...sourceCounts.values()].reduce((a, b) => a + b, 0)} 行、${size} バイト`);
    } catch (error) {
      report('バックアップ (pg_dump -Fc)', 'not_done', (error as Error).message);
      return finish();
    } finally {
      await src.end().catch(() => undefined);
    }

    // 2. A fresh database, restored from the dump.
    try {
      const root = admin(config, 'postgres');
      await root.connect();
      try {
        await root.query(`CREATE DATABASE "${target}"`);
        created = true;
      } finally {
        await root.end();
      }
      await run('pg_restore', [...conn, '--exit-on-error', '-d', target, dumpFile], pgEnv);
      report('復元 (pg_restore)', 'ok', `新しいデータベース ${target} に復元しました`);
    } catch (error) {
      report('復元 (pg_restore)', 'not_done', (error as Error).message);
      return finish();
    }

    const restored: AppConfig = Object.assign(Object.create(Object.getPrototypeOf(config)), config, { DB_NAME: target });

    // 3. The migrations: every one was in the dump, so none may run.
    try {
      const ds = new DataSource(migrationOptions(restored));
      await ds.initialize();
      try {
        const ran = await ds.runMigrations({ transaction: 'each' });
        if (ran.length === 0) report('マイグレーション', 'ok', '実行すべきものはありません (no-op)');
        else report('マイグレーション', 'failed', `復元したデータベースで ${ran.length} 件が実行されました: ${ran.map((m) => m.name).join(', ')}`);
      } finally {
        await ds.destroy();
      }
    } catch (error) {
      report('マイグレーション', 'not_done', (error as Error).message);
    }

    // 4. The api boots on it.
    await bootApi(restored);

    // 5. Every table's count.
    try {
      const dst = admin(config, target);
      await dst.connect();
      try {
        const after = await counts(dst);
        const diffs: string[] = [];
        for (const [name, n] of sourceCounts) if (after.get(name) !== n) diffs.push(`${name}: 元 ${n} 行 / 復元 ${after.get(name) ?? '表なし'}`);
        for (const name of after.keys()) if (!sourceCounts.has(name)) diffs.push(`${name}: 復元側にのみ存在`);
        if (diffs.length === 0) report('件数の照合', 'ok', `${after.size} 表すべて一致 (${[...after].map(([k, v]) => `${k}=${v}`).join(', ')})`);
        else report('件数の照合', 'failed', diffs.join('; '));
      } finally {
        await dst.end();
      }
    } catch (error) {
      report('件数の照合', 'not_done', (error as Error).message);
    }

    // 6. The audit chain of the copy, and the source's head in it.
    try {
      const ds = new DataSource({
        ...typeOrmOptions(restored),
        extra: { ...tenantConnectionOptions(restored), max: 1, application_name: 'hyoka-restore-drill' },
      });
      await ds.initialize();
      try {
        const chain = await new AuditChainService(ds, restored).verify();
        const [head]: { seq: string; hash: string }[] = sourceHead
          ? await ds.query(`SELECT chain_seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_log WHERE chain_seq = $1`, [sourceHead.seq])
          : [];
        if (!chain.ok) report('監査ログのチェーン', 'failed', `${chain.firstBreak?.problem}: ${chain.firstBreak?.message}`);
        else if (sourceHead && head?.hash !== sourceHead.hash)
          report('監査ログのチェーン', 'failed', `元の先頭 (連番 ${sourceHead.seq}) が復元側で ${head ? `別のハッシュ ${head.hash}` : '見つかりません'}`);
        else
          report(
            '監査ログのチェーン',
            'ok',
            `${chain.checked} 行を検証、正常${sourceHead ? `。元の先頭 連番 ${sourceHead.seq} ハッシュ ${sourceHead.hash} と一致` : '（監査ログは空）'}`,
          );
      } finally {
        await ds.destroy();
      }
    } catch (error) {
      report('監査ログのチェーン', 'not_done', (error as Error).message);
    }
    return finish();
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (created && !keep) {
      const root = admin(config, 'postgres');
      await root
        .connect()
        .then(() => root.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`))
        .then(
          () => console.log(`復元したデータベース ${target} を削除しました（残すには --keep）。`),
          (error: Error) => console.log(`復元したデータベース ${target} を削除できませんでした: ${error.message}`),
        )
        .finally(() => root.end());
    } else if (created) console.log(`復元したデータベース ${target} を残しました（--keep）。不要になったら DROP DATABASE してください。`);
  }
}

async function bootApi(config: AppConfig): Promise<void> {
  const name = 'api の起動 (/health)';
  if (!existsSync(API_MAIN)) {
    report(name, 'not_done', `${API_MAIN} がありません。先に npx nest build api を実行してください`);
    return;
  }
  const port = await freePort();
  // Its own queue prefix, so the drill's api never touches the live system's jobs.
  const prefix = `${config.QUEUE_PREFIX}-drill-${randomBytes(3).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const [key, value] of Object.entries(config)) if (value !== undefined && value !== null) env[key] = String(value);
  Object.assign(env, { PORT: String(port), BIND_ADDRESS: '127.0.0.1', QUEUE_PREFIX: prefix, PUBLIC_URL: `http://127.0.0.1:${port}` });
  const child = spawn(process.execPath, [API_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  try {
    const until = Date.now() + 60_000;
    let last: { status: number; body: string } | null = null;
    while (Date.now() < until && child.exitCode === null) {
      last = await getHealth(port);
      if (last?.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (last?.status === 200) report(name, 'ok', `復元したデータベースで起動し、/health が 200 を返しました (${last.body.slice(0, 120)})`);
    else if (last) report(name, 'failed', `/health が ${last.status}: ${last.body.slice(0, 300)}`);
    else report(name, 'failed', `起動しませんでした: ${output.trim().split('\n').slice(-5).join(' / ')}`);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('close', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    const redis = new Redis({ ...redisOptions(config), lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch {
      // Nothing to clean when Redis is unreachable (the health check said so already).
    } finally {
      redis.disconnect();
    }
  }
}

const ALL_STEPS = ['バックアップ (pg_dump -Fc)', '復元 (pg_restore)', 'マイグレーション', 'api の起動 (/health)', '件数の照合', '監査ログのチェーン'];

function finish(): number {
  for (const name of ALL_STEPS) if (!steps.some((s) => s.name === name)) report(name, 'not_done', '前の手順ができなかったため実施していません');
  const failed = steps.filter((s) => s.outcome === 'failed');
  const notDone = steps.filter((s) => s.outcome === 'not_done');
  console.log('');
  console.log(
    'この訓練が扱わないもの: PostgreSQL の外にあるもの（設定ファイル hyoka.env・署名鍵 jwt-secret、Redis のキュー。キューは再起動時に作り直されます）。',
  );
  if (notDone.length) console.log(`実施できなかった手順: ${notDone.map((s) => `${s.name}（${s.detail.split('\n')[0]}）`).join('; ')}`);
  if (failed.length) console.log(`不合格: ${failed.map((s) => s.name).join('、')}`);
  if (!failed.length && !notDone.length) console.log('復元訓練: 合格（バックアップから復元でき、起動し、件数が一致し、監査ログのチェーンが検証できました）');
  return failed.length ? 1 : notDone.length ? 2 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error('復元訓練を実行できませんでした:', error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
