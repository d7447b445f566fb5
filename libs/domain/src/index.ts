export * from './org/roles';
