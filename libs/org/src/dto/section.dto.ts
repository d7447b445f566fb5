import { Omittable } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { CODE_MESSAGE, CODE_PATTERN } from './department.dto';

export class CreateSectionDto {
  @ApiProperty() @IsInt() @Min(1) departmentId: number;
  @ApiProperty({ example: 's01' }) @IsString() @Matches(CODE_PATTERN, { message: CODE_MESSAGE }) code: string;
  @ApiProperty({ example: '経営企画課' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ example: '2024-04-01', description: 'first day of the name; today if omitted' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日付(YYYY-MM-DD)で入力してください' })
  validFrom?: string;
}

/** The name changes only through rename, so the history stays complete. */
export class UpdateSectionDto {
  @ApiPropertyOptional() @Omittable() @IsInt() @Min(1) departmentId?: number;
  @ApiPropertyOptional() @Omittable() @IsString() @Matches(CODE_PATTERN, { message: CODE_MESSAGE }) code?: string;
  @ApiPropertyOptional() @Omittable() @IsBoolean() active?: boolean;
}

export class RenameSectionDto {
  @ApiProperty({ example: '情報政策課' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ example: '2022-04-01' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日付(YYYY-MM-DD)で入力してください' })
  effectiveFrom: string;
}

export class MergeSectionDto {
  @ApiProperty() @IsInt() @Min(1) intoSectionId: number;
  @ApiProperty({ example: '2024-04-01' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日付(YYYY-MM-DD)で入力してください' })
  effectiveFrom: string;
}
