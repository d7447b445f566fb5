import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepartmentsService } from './departments.service';
import { DepartmentName } from './entities/department-name.entity';
import { Department } from './entities/department.entity';
import { SectionName } from './entities/section-name.entity';
import { Section } from './entities/section.entity';
import { OrgDirectoryModule } from './directory/org-directory.module';
import { OrgNamesModule } from './org-names.module';
import { SectionsService } from './sections.service';

/** Departments and sections with their name histories, no controllers: what the worker needs to apply a 機構改革 on its 施行日. */
@Module({
  imports: [TypeOrmModule.forFeature([Department, DepartmentName, Section, SectionName]), OrgNamesModule, OrgDirectoryModule],
  providers: [DepartmentsService, SectionsService],
  exports: [DepartmentsService, SectionsService, OrgNamesModule],
})
export class OrgUnitsModule {}
