export * from './account-locked';
export * from './notice-sender.service';
export * from './notices.module';
