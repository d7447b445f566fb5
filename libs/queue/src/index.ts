export * from './queue-names';
export * from './queue.module';
export * from './redis-connection';
export * from './job-contract';
export * from './queue-liveness';
