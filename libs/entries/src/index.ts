export * from './entries.module';
export * from './entries-api.module';
export * from './entries.service';
export * from './entry-views.service';
export * from './entry-access';
export * from './entities/entry.entity';
export * from './form-context.service';
export * from './scope-values/scope-values.service';
