export * from './domain-error';
export * from './domain-error.filter';
export * from './domain-events';
export * from './input-sanity.pipe';
export * from './omittable.decorator';
export * from './id.pipe';
export * from './app-logger';
export * from './validation-messages';
