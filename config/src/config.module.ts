import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfigFromProcess } from './app-config';

/** Provides the validated AppConfig everywhere; tests pass their own instance. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: AppConfig, useValue: config ?? loadConfigFromProcess() }],
      exports: [AppConfig],
    };
  }
}
