import { spawn } from 'node:child_process';
import { NestFactory } from '@nestjs/core';
import { SeedAppModule, SeedHistoryService, SeedService } from '@app/seed';
import { adminClient } from './utils/test-database';
import { createTestApp, TestApp } from './utils/test-app';

/** Runs `npm run drill:restore` (the script itself, as an operator would) against the suite's database. */
function drill(t: TestApp, args: string[] = []): Promise<{ code: number | null; out: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TS_NODE_PROJECT: 'tsconfig.json', NODE_OPTIONS: '' };
  for (const key of ['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_MIGRATION_USER', 'DB_NAME', 'REDIS_HOST', 'REDIS_PORT', 'QUEUE_PREFIX', 'JWT_SECRET'] as const)
    env[key] = String(t.config[key]);
  if (t.config.DB_MIGRATION_PASSWORD) env.DB_MIGRATION_PASSWORD = t.config.DB_MIGRATION_PASSWORD;
  if (t.config.DB_PASSWORD) env.DB_PASSWORD = t.config.DB_PASSWORD;
  Object.assign(env, { NODE_ENV: 'test', LOG_LEVEL: 'error', API_DOCS: 'off' });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/drill-restore.ts', ...args], {
      env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function databasesLike(t: TestApp): Promise<string[]> {
  const admin = await adminClient(t.config);
  try {
    return (await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${t.config.DB_NAME}_drill_%`])).rows.map((r) => r.datname);
  } finally {
    await admin.end();
  }
}

describe('backup and restore drill (npm run drill:restore)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    // Demo-like data: the seed's organisation, plans, published cycles and an open one, all audited.
    const seedApp = await NestFactory.createApplicationContext(SeedAppModule.forRoot(t.config), { logger: ['error'] });
    try {
      await seedApp.get(SeedService).seed();
      await seedApp.get(SeedHistoryService).seed(undefined, '2026-11-21');
    } finally {
      await seedApp.close();
    }
  }, 300_000);
  afterAll(() => t.close());

  it('dumps, restores into a fresh database, migrates nothing, boots the api, matches every count and verifies the audit chain', async () => {
    const { code, out } = await drill(t);
    expect(out).toContain('[OK  ] バックアップ (pg_dump -Fc)');
    expect(out).toContain('[OK  ] 復元 (pg_restore)');
    expect(out).toContain('[OK  ] マイグレーション: 実行すべきものはありません (no-op)');
    expect(out).toContain('[OK  ] api の起動 (/health)');
    expect(out).toMatch(/\[OK {2}\] 件数の照合: \d+ 表すべて一致 .*audit_log=\d+/);
    // Demo-like: published cycles with their entries and audit trail made it across.
    expect(Number(/ entries=(\d+)/.exec(out)![1])).toBeGreaterThan(100);
    expect(Number(/ audit_log=(\d+)/.exec(out)![1])).toBeGreaterThan(10);
    expect(out).toMatch(/\[OK {2}\] 監査ログのチェーン: \d+ 行を検証、正常。元の先頭 連番 \d+ ハッシュ [0-9a-f]{64} と一致/);
    expect(out).toContain('この訓練が扱わないもの');
    expect(out).toContain('復元訓練: 合格');
    expect(code).toBe(0);
    // The copy is dropped afterwards.
    expect(await databasesLike(t)).toEqual([]);
  }, 240_000);

  it('fails, and says so, when the audit chain of the backup is broken', async () => {
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await owner.query('BEGIN');
      await owner.query('ALTER TABLE audit_log DISABLE TRIGGER ALL');
      await owner.query(`UPDATE audit_log SET comment = '書き換え' WHERE id = (SELECT min(id) FROM audit_log WHERE chain_seq IS NOT NULL)`);
      for (const name of ['audit_log_no_update', 'audit_log_no_truncate', 'audit_log_unsealed', 'audit_log_seal'])
        await owner.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER ${name}`);
      await owner.query('COMMIT');
    } finally {
      await owner.end();
    }
    const { code, out } = await drill(t);
    expect(out).toContain('[NG  ] 監査ログのチェーン');
    expect(out).toContain('不合格: 監査ログのチェーン');
    expect(code).toBe(1);
  }, 240_000);
});
