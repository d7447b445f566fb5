import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config';
import { TenantsService } from './tenants.service';
import { typeOrmOptions } from './typeorm-options';

/** Global: TenantsService (the running code's municipality) is for every module. */
@Global()
@Module({
  providers: [TenantsService],
  exports: [TenantsService],
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...typeOrmOptions(config), autoLoadEntities: true }),
    }),
  ],
})
export class DatabaseModule {}
