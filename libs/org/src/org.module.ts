import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './entities/user.entity';
import { OrgController } from './org.controller';
import { OrgUnitsModule } from './org-units.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { TenantProfileController } from './tenant-profile/tenant-profile.controller';
import { TenantProfileService } from './tenant-profile/tenant-profile.service';

/** Departments and sections (with their name histories), users and the municipality's own profile (団体設定), under /api/org. */
@Module({
  imports: [TypeOrmModule.forFeature([User]), OrgUnitsModule],
  controllers: [OrgController, UsersController, TenantProfileController],
  providers: [UsersService, TenantProfileService],
  exports: [UsersService, OrgUnitsModule],
})
export class OrgModule {}
