export * from './database.module';
export * from './database-client';
export * from './typeorm-options';
export * from './tenant-context';
export * from './tenants.service';
export * from './tenant-registry';
export { UNTENANTED_TABLES } from './migrations/1732000011700-tenants';
export * from './reads-on';
