export * from './personnel.module';
export * from './personnel-api.module';
export * from './transfers.service';
export * from './transfer-jobs.service';
export * from './domain/transfer-file';
export * from './domain/transfer-plan';
export * from './reform/org-reform.service';
