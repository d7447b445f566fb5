import { types } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@app/config';
import { MIGRATIONS } from './migrations';

// Calendar dates stay 'YYYY-MM-DD' strings: parsing them into a JS Date would shift them by the
// process time zone (a deadline of 10/10 in Tokyo must not become 10/09T15:00Z).
types.setTypeParser(types.builtins.DATE, (value: string) => value);

/** Connection options shared by the api, the worker, the migration CLI and the tests. */
export function typeOrmOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    host: config.DB_HOST,
    port: config.DB_PORT,
    username: config.DB_USER,
    password: config.DB_PASSWORD,
    database: config.DB_NAME,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: { max: config.DB_POOL_SIZE, application_name: 'hyoka' },
  };
}
