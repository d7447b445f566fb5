import { Module } from '@nestjs/common';
import { DepartmentDirectory } from './department-directory.service';
import { SectionDirectory } from './section-directory.service';
import { SectionItems } from './section-items';
import { UserDirectory } from './user-directory.service';

/** Reads of the organisation for other libs (no controllers): they call these, never org's SQL; and plan-items' part of a section merge. */
@Module({
  providers: [SectionDirectory, DepartmentDirectory, UserDirectory, SectionItems],
  exports: [SectionDirectory, DepartmentDirectory, UserDirectory, SectionItems],
})
export class OrgDirectoryModule {}
