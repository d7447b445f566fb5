import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigFromProcess } from '@app/config';
import { typeOrmOptions } from './typeorm-options';

/** Used by the TypeORM CLI: `npm run migration:run`; a migration may rewrite a large table, so statements get the long timeout. */
export default new DataSource(typeOrmOptions(loadConfigFromProcess(), { longRunning: true }));
