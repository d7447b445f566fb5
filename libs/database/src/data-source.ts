import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigFromProcess } from '@app/config';
import { migrationOptions } from './typeorm-options';

/** Used by the TypeORM CLI: `npm run migration:run`, as the tables' owner (DB_MIGRATION_USER). */
export default new DataSource(migrationOptions(loadConfigFromProcess()));
