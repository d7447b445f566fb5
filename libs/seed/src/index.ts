export * from './seed.module';
export * from './seed.service';
export * from './seed-data';
export * from './parsers/pledge-progress-monthly.parser';
export * from './parsers/pledge-status-abcd.parser';
export * from './seed-history.service';
export * from './seed-app.module';
