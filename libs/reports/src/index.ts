export * from './reports.module';
export * from './reports-api.module';
export * from './report-data.service';
export * from './completeness.service';
export * from './summary.service';
export * from './xlsx-export.service';
export * from './csv-export.service';
export * from './html-report.service';
