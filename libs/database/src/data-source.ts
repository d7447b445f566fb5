import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigFromProcess } from '@app/config';
import { typeOrmOptions } from './typeorm-options';

/** Used by the TypeORM CLI: `npm run migration:run`. */
export default new DataSource(typeOrmOptions(loadConfigFromProcess()));
