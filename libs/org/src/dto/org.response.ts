import { ROLES } from '@app/domain';
import {
  ApiArray,
  ApiBoolean,
  ApiDateTime,
  ApiDay,
  ApiEnumArray,
  ApiNullableDay,
  ApiNullableNumber,
  ApiNullableString,
  ApiNumber,
  ApiObject,
  ApiString,
} from '@app/common';

export class DepartmentDto {
  @ApiNumber() id: number;
  @ApiString() code: string;
  @ApiString() name: string;
  @ApiNullableNumber('部長') headUserId: number | null;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}

/** One department with its name history (a renamed department keeps its old names for old cycles). */
export class DepartmentDetailDto extends DepartmentDto {
  @ApiArray(() => SectionNamePeriodDto) nameHistory: SectionNamePeriodDto[];
}

/** A section in the lists (GET /org/sections). */
export class SectionRowDto {
  @ApiNumber() id: number;
  @ApiNumber() departmentId: number;
  @ApiString() code: string;
  @ApiString() name: string;
  @ApiBoolean() active: boolean;
  @ApiNullableNumber('the section it was merged into') mergedIntoId: number | null;
  @ApiString() departmentName: string;
}

export class SectionNamePeriodDto {
  @ApiString() name: string;
  @ApiDay() validFrom: string;
  @ApiNullableDay() validTo: string | null;
  @ApiNullableString('旧 情報管理課, 統合により廃止…') note: string | null;
}

/** One section with its name history (a renamed section keeps its old names for old cycles). */
export class SectionDto extends SectionRowDto {
  @ApiString() displayName: string;
  @ApiArray(() => SectionNamePeriodDto) nameHistory: SectionNamePeriodDto[];
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}

export class SectionMergeDto {
  @ApiObject(() => SectionDto) source: SectionDto;
  @ApiObject(() => SectionDto) target: SectionDto;
  @ApiNumber() movedItems: number;
  @ApiNumber() skippedItems: number;
}

/** A user as the administration screens show them (never a password). */
export class UserDto {
  @ApiNumber() id: number;
  @ApiString() login: string;
  @ApiString() name: string;
  @ApiString() email: string;
  @ApiNullableString('職員番号 (how personnel files name people)') staffNumber: string | null;
  @ApiNullableNumber() sectionId: number | null;
  @ApiNullableString() sectionName: string | null;
  @ApiEnumArray(ROLES, 'Role') roles: string[];
  @ApiBoolean() active: boolean;
  @ApiBoolean() passwordChangeRequired: boolean;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}

/** Anyone signed in may look up names and sections of active staff (to pick a delegate). */
export class DirectoryPersonDto {
  @ApiNumber() id: number;
  @ApiString() name: string;
  @ApiNullableString() sectionName: string | null;
}
