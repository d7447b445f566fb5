import { Logger } from '@nestjs/common';
import { types } from 'pg';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { AppConfig } from '@app/config';
import { DatabaseClient, DatabaseClientConfig } from './database-client';
import { FirstTenant, migrations } from './migrations';

// Calendar dates stay 'YYYY-MM-DD' strings: parsing them into a JS Date would shift them by the
// process time zone (a deadline of 10/10 in Tokyo must not become 10/09T15:00Z).
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** How much longer than the server's statement timeout the client waits for any answer. */
const READ_TIMEOUT_MARGIN_MS = 2000;

const logger = new Logger('database');

/** The tenant the tenants migration made of the installation's own municipality. */
export const SINGLE_CITY_TENANT_ID = 1;

/**
 * Connection options of the application's own login (DB_USER): the api, the worker, the seed.
 * `longRunning` (the migrations): every statement gets the long statement timeout.
 */
export function typeOrmOptions(config: AppConfig, { longRunning = false } = {}): PostgresDataSourceOptions {
  const statementTimeoutMs = longRunning ? config.DB_LONG_STATEMENT_TIMEOUT_MS : config.DB_STATEMENT_TIMEOUT_MS;
  const pool: DatabaseClientConfig & Record<string, unknown> = {
    max: config.DB_POOL_SIZE,
    application_name: 'hyoka',
    // Every pooled connection is a DatabaseClient: an 'error' listener from its creation, and a
    // connection that stopped answering is closed rather than handed out again.
    Client: DatabaseClient,
    // A database that does not accept (a partition, a failover in progress) fails the request
    // after this long instead of holding it; so does waiting for a free pooled connection.
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    // The server cancels a statement running longer (57014, a 503); the client gives up
    // READ_TIMEOUT_MARGIN_MS later when no answer comes at all.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + READ_TIMEOUT_MARGIN_MS,
    // A transaction left open by a stalled process must not hold its row locks for ever.
    idle_in_transaction_session_timeout: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    // Idle connections to a server that vanished are noticed by the kernel, not at the next use.
    keepAlive: true,
    keepAliveInitialDelayMillis: config.DB_KEEPALIVE_DELAY_MS,
    idleTimeoutMillis: 30_000,
    longStatementTimeoutMs: config.DB_LONG_STATEMENT_TIMEOUT_MS,
    readTimeoutMarginMs: READ_TIMEOUT_MARGIN_MS,
    preparedStatements: config.DB_PREPARED_STATEMENTS && !longRunning,
    fallbackTenantId: fallbackTenantOf(config),
  };
  return {
    type: 'postgres',
    host: config.DB_HOST,
    port: config.DB_PORT,
    username: config.DB_USER,
    password: config.DB_PASSWORD,
    database: config.DB_NAME,
    migrations: migrations({ role: config.DB_USER, password: config.DB_PASSWORD }, firstTenantOf(config)),
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: pool,
    // An idle pooled connection whose backend was terminated: the pool drops it and opens a
    // new one on demand. Logged, never thrown (TypeORM's default goes to its silenced logger).
    poolErrorHandler: (error: Error) => logger.warn(`idle pooled connection lost: ${error.message}`),
  };
}

/**
 * The owner's login (DB_MIGRATION_USER), for the migration CLI, the installer and the tests'
 * set-up: only the owner may create and alter tables, and grant the application's role what it
 * needs. A migration may rewrite a large table, so statements get the long timeout.
 */
export function migrationOptions(config: AppConfig): PostgresDataSourceOptions {
  const options = typeOrmOptions(config, { longRunning: true });
  return {
    ...options,
    username: config.DB_MIGRATION_USER,
    password: config.DB_MIGRATION_PASSWORD,
    extra: { ...options.extra, max: 2, application_name: 'hyoka-migrate' },
  };
}

/** Whom a statement outside any tenant context runs as (DatabaseClient): tenant 1 of a single-city installation, or nobody. */
export function fallbackTenantOf(config: AppConfig): number | null {
  return config.TENANCY === 'single' ? SINGLE_CITY_TENANT_ID : null;
}

/**
 * What a DataSource of its own pool settings (`extra`) needs to run as a tenant like the others:
 * DatabaseClient sets each connection's tenant (the context's, else the fallback). Without it a
 * connection has none, and row-level security shows it nothing.
 */
export function tenantConnectionOptions(config: AppConfig): Pick<DatabaseClientConfig, 'fallbackTenantId'> & { Client: typeof DatabaseClient } {
  return { Client: DatabaseClient, fallbackTenantId: fallbackTenantOf(config) };
}

/** Tenant 1 of the tenants migration: the installation's own municipality, as configured. */
export function firstTenantOf(config: AppConfig): FirstTenant {
  return {
    name: config.MUNICIPALITY_NAME,
    code: config.MUNICIPALITY_CODE,
    mailFrom: config.MAIL_FROM,
    contactName: config.PLANNING_CONTACT_NAME,
    contactPhone: config.PLANNING_CONTACT_PHONE,
    contactEmail: config.PLANNING_CONTACT_EMAIL,
  };
}
