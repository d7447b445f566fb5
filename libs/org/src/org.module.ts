import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepartmentsService } from './departments.service';
import { DepartmentName } from './entities/department-name.entity';
import { Department } from './entities/department.entity';
import { SectionName } from './entities/section-name.entity';
import { Section } from './entities/section.entity';
import { User } from './entities/user.entity';
import { OrgController } from './org.controller';
import { OrgNamesModule } from './org-names.module';
import { SectionsService } from './sections.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Departments and sections (with their name histories) and users, under /api/org. */
@Module({
  imports: [TypeOrmModule.forFeature([Department, DepartmentName, Section, SectionName, User]), OrgNamesModule],
  controllers: [OrgController, UsersController],
  providers: [DepartmentsService, SectionsService, UsersService],
  exports: [DepartmentsService, SectionsService, UsersService, OrgNamesModule],
})
export class OrgModule {}
