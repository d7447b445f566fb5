import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '@app/config';
import { typeOrmOptions } from '@app/database';

/**
 * A test suite's own PostgreSQL database and Redis key prefix, created here and dropped
 * by dropTestDatabase, so suites never see each other's rows or jobs.
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DB_NAME: `hyoka_test_${id}`,
    QUEUE_PREFIX: `hyoka-test-${id}`,
    // The lowest scrypt cost: every first sign-in of a fixture user (bcrypt hash) re-hashes it.
    PASSWORD_SCRYPT_N: '1024',
    LOG_LEVEL: 'error',
    ...overrides,
  });
}

async function adminClient(config: AppConfig): Promise<Client> {
  const client = new Client({
    host: config.DB_HOST,
    port: config.DB_PORT,
    user: config.DB_USER,
    password: config.DB_PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  return client;
}

/** Creates the suite's database and runs every migration on it. */
export async function createTestDatabase(config: AppConfig): Promise<void> {
  const admin = await adminClient(config);
  try {
    await admin.query(`CREATE DATABASE "${config.DB_NAME}"`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(typeOrmOptions(config, { longRunning: true }));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export async function dropTestDatabase(config: AppConfig): Promise<void> {
  const admin = await adminClient(config);
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${config.DB_NAME}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
