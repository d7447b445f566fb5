export * from './auth.decorators';
export * from './auth.module';
export * from './auth.service';
export * from './password-hash';
export * from './password-hasher';
