import { Omittable } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export const CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;
export const CODE_MESSAGE = '半角英小文字・数字・ハイフンの1〜50文字で入力してください';

export class CreateDepartmentDto {
  @ApiProperty({ example: 'd01' }) @IsString() @Matches(CODE_PATTERN, { message: CODE_MESSAGE }) code: string;
  @ApiProperty({ example: 'こども未来部' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ example: '2024-04-01', description: 'first day of the name; today if omitted' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日付(YYYY-MM-DD)で入力してください' })
  validFrom?: string;
}

/** A new name from a date: reports of earlier periods keep the old one. */
export class RenameDepartmentDto {
  @ApiProperty({ example: 'こども家庭部' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ example: '2026-04-01' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日付(YYYY-MM-DD)で入力してください' })
  effectiveFrom: string;
}

export class UpdateDepartmentDto {
  @ApiPropertyOptional() @Omittable() @IsString() @Matches(CODE_PATTERN, { message: CODE_MESSAGE }) code?: string;
  @ApiPropertyOptional() @Omittable() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ nullable: true, description: '部長 (評価者) のユーザーID' })
  @Omittable()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  headUserId?: number | null;
}
