import { types } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import type { AppConfig } from '@app/config';
import { migrations } from './migrations';

// Calendar dates stay 'YYYY-MM-DD' strings: parsing them into a JS Date would shift them by the
// process time zone (a deadline of 10/10 in Tokyo must not become 10/09T15:00Z).
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** Connection options of the application's own login (DB_USER): the api, the worker, the seed. */
export function typeOrmOptions(config: AppConfig): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    host: config.DB_HOST,
    port: config.DB_PORT,
    username: config.DB_USER,
    password: config.DB_PASSWORD,
    database: config.DB_NAME,
    migrations: migrations({ role: config.DB_USER, password: config.DB_PASSWORD }),
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: { max: config.DB_POOL_SIZE, application_name: 'hyoka' },
  };
}

/**
 * The owner's login (DB_MIGRATION_USER), for the migration CLI and the tests' set-up: only the
 * owner may create and alter tables, and grant the application's role what it needs.
 */
export function migrationOptions(config: AppConfig): DataSourceOptions {
  return {
    ...typeOrmOptions(config),
    username: config.DB_MIGRATION_USER,
    password: config.DB_MIGRATION_PASSWORD,
    extra: { max: 2, application_name: 'hyoka-migrate' },
  };
}
