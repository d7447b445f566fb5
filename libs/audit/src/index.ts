export * from './audit.module';
export * from './audit.service';
export * from './audit-chain';
export * from './audit-chain.service';
export * from './audit-reads.service';
export * from './audit-sql';
