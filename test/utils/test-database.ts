import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '@app/config';
import { migrationOptions } from '@app/database';

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

/** The owner's connection to the cluster (creating and dropping databases; tests that must act as the owner). */
export async function adminClient(config: AppConfig, database = 'postgres'): Promise<Client> {
  const client = new Client({
    host: config.DB_HOST,
    port: config.DB_PORT,
    user: config.DB_MIGRATION_USER,
    password: config.DB_MIGRATION_PASSWORD,
    database,
  });
  await client.connect();
  return client;
}

/**
 * Creates the suite's database and runs every migration on it as the owner (DB_MIGRATION_USER),
 * as production does; the app under test then logs in as DB_USER, the role the migrations
 * create (once for the cluster; parallel suites race for that safely) and grant to.
 */
export async function createTestDatabase(config: AppConfig): Promise<void> {
  const admin = await adminClient(config);
  try {
    await admin.query(`CREATE DATABASE "${config.DB_NAME}"`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(migrationOptions(config));
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
