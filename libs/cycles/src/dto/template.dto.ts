import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const PERIOD_TYPES = ['monthly', 'quarterly', 'half_year', 'fiscal_year', 'multi_year'] as const;
const FIELD_KEYS = ['progress', 'fiscalGoal', 'shortTermPlan', 'kpiActuals', 'reason', 'nextSteps'] as const;

export class EntryFieldRuleDto {
  @ApiProperty({ enum: FIELD_KEYS }) @IsIn(FIELD_KEYS) key: (typeof FIELD_KEYS)[number];
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(50) label: string;
  @ApiProperty({ enum: ['always', 'never', 'when_reason_needed'] })
  @IsIn(['always', 'never', 'when_reason_needed'])
  required: 'always' | 'never' | 'when_reason_needed';
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(20000) maxLength?: number;
}

export class ApprovalStepDto {
  @ApiProperty({ enum: ['section_chief', 'evaluator', 'planning'] })
  @IsIn(['section_chief', 'evaluator', 'planning'])
  kind: 'section_chief' | 'evaluator' | 'planning';
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(50) label: string;
}

export class ReminderScheduleDto {
  @ApiProperty({ example: [7, 3] })
  @IsArray() @ArrayMaxSize(10) @IsInt({ each: true }) @Min(1, { each: true }) @Max(60, { each: true })
  beforeBusinessDays: number[];
  @ApiProperty() @IsBoolean() onDeadline: boolean;
  @ApiProperty() @IsInt() @Min(0) @Max(30) overdueEveryBusinessDays: number;
  @ApiProperty() @IsInt() @Min(0) @Max(30) overdueMaxCount: number;
}

export class CreateTemplateDto {
  @ApiProperty({ example: 'pledge-monthly' })
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{1,49}$/, { message: '半角英小文字・数字・ハイフンの2〜50文字で入力してください' })
  code: string;
  @ApiProperty({ example: '市長公約 月次進捗' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty() @IsInt() @Min(1) planId: number;
  @ApiProperty({ enum: PERIOD_TYPES }) @IsIn(PERIOD_TYPES) periodType: (typeof PERIOD_TYPES)[number];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(10) spanYears?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1989) @Max(2200) firstFiscalYear?: number;
  @ApiProperty({ example: 'progress4' }) @IsString() @MinLength(1) scaleCode: string;
  @ApiPropertyOptional({ type: [EntryFieldRuleDto] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => EntryFieldRuleDto)
  fields?: EntryFieldRuleDto[];
  @ApiPropertyOptional({ type: [ApprovalStepDto] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5) @ValidateNested({ each: true }) @Type(() => ApprovalStepDto)
  approvalRoute?: ApprovalStepDto[];
  @ApiPropertyOptional({ description: 'submission deadline: calendar days after period end (negative = before)' })
  @IsOptional() @IsInt() @Min(-60) @Max(120) submissionOffsetDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(-60) @Max(180) reviewOffsetDays?: number;
  @ApiPropertyOptional({ type: ReminderScheduleDto })
  @IsOptional() @ValidateNested() @Type(() => ReminderScheduleDto)
  reminderSchedule?: ReminderScheduleDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoOpen?: boolean;
}

export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {
  @ApiProperty() @IsInt() @Min(1) version: number;
}
