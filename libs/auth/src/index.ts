export * from './auth.decorators';
export * from './auth.module';
export * from './auth.service';
export * from './sessions.service';
export * from './session-request';
export * from './password-change.guard';
export * from './password-hash';
export * from './password-hasher';
