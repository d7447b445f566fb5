import { Module } from '@nestjs/common';
import { DepartmentDirectory } from './department-directory.service';
import { SectionDirectory } from './section-directory.service';
import { UserDirectory } from './user-directory.service';

/** Reads of the organisation for other libs (no controllers): they call these, never org's SQL. */
@Module({ providers: [SectionDirectory, DepartmentDirectory, UserDirectory], exports: [SectionDirectory, DepartmentDirectory, UserDirectory] })
export class OrgDirectoryModule {}
