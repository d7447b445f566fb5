import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepartmentsService } from './departments.service';
import { Department } from './entities/department.entity';
import { SectionName } from './entities/section-name.entity';
import { Section } from './entities/section.entity';
import { User } from './entities/user.entity';
import { OrgController } from './org.controller';
import { SectionsService } from './sections.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Departments, sections (with their name history) and users, under /api/org. */
@Module({
  imports: [TypeOrmModule.forFeature([Department, Section, SectionName, User])],
  controllers: [OrgController, UsersController],
  providers: [DepartmentsService, SectionsService, UsersService],
  exports: [DepartmentsService, SectionsService, UsersService],
})
export class OrgModule {}
