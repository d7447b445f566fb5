import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './entities/user.entity';
import { OrgController } from './org.controller';
import { OrgUnitsModule } from './org-units.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Departments and sections (with their name histories) and users, under /api/org. */
@Module({
  imports: [TypeOrmModule.forFeature([User]), OrgUnitsModule],
  controllers: [OrgController, UsersController],
  providers: [UsersService],
  exports: [UsersService, OrgUnitsModule],
})
export class OrgModule {}
