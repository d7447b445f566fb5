export * from './domain-error';
export * from './domain-error.filter';
