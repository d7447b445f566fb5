export * from './database.module';
export * from './database-client';
export * from './typeorm-options';
