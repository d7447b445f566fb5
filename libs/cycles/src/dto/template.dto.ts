import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  APPROVAL_STEP_KINDS,
  CO_APPROVAL_PARTIES,
  CO_APPROVAL_RULES,
  MAX_CO_APPROVERS,
  FALLBACK_APPROVER_KINDS,
  FIELD_TYPES,
  FORM_LAYOUTS,
  FORM_SCOPES,
  MAX_FIELD_OPTIONS,
  MAX_FORM_FIELDS,
  PERIOD_TYPES,
  RETENTION_CLASSES,
} from '@app/domain';
import type {
  ApprovalStepKind,
  CoApprovalParties,
  CoApprovalRule,
  FallbackApproverKind,
  FieldScope,
  FieldType,
  FormLayout,
  PeriodType,
  RetentionClass,
} from '@app/domain';

export class FieldOptionDto {
  @ApiProperty({ example: '継続' }) @IsString() @MinLength(1) @MaxLength(100) value: string;
  @ApiProperty({ example: '継続' }) @IsString() @MinLength(1) @MaxLength(200) label: string;
}

/**
 * One field of a template's form. The shape is checked here; what depends on the whole form
 * (unique keys, rules naming real fields, options of choice fields) by validateFormDefinition.
 */
export class FormFieldDto {
  @ApiProperty({ example: 'shortfallReason' }) @IsString() @MinLength(1) @MaxLength(40) key: string;
  @ApiProperty({ example: '目標値が未達成の理由・分析' }) @IsString() @MinLength(1) @MaxLength(100) label: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) help?: string;
  @ApiPropertyOptional({ enum: FIELD_TYPES, description: "default: the built-in key's type, else long_text" })
  @IsOptional()
  @IsIn(FIELD_TYPES)
  type?: FieldType;
  @ApiPropertyOptional({ enum: FORM_SCOPES, default: 'entry' }) @IsOptional() @IsIn(FORM_SCOPES) scope?: FieldScope;
  @ApiPropertyOptional({ type: [FieldOptionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FIELD_OPTIONS)
  @ValidateNested({ each: true })
  @Type(() => FieldOptionDto)
  options?: FieldOptionDto[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(50) maxSelections?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(20000) maxLength?: number;
  @ApiPropertyOptional({ example: '人' }) @IsOptional() @IsString() @MaxLength(20) unit?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(6) decimals?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) min?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) max?: number;
  @ApiPropertyOptional({
    description: "when the field must be given at submit: true, false, a JsonLogic rule, or the legacy 'always' | 'never' | 'when_reason_needed'",
  })
  @Allow()
  required?: unknown;
  @ApiPropertyOptional({ description: 'when the field is shown: true or a JsonLogic rule (default: always)' })
  @Allow()
  visible?: unknown;
}

export class CoApprovalDto {
  @ApiProperty({ enum: CO_APPROVAL_RULES, description: 'all: every party approves; any: one of them' })
  @IsIn(CO_APPROVAL_RULES)
  rule: CoApprovalRule;
  @ApiProperty({ enum: CO_APPROVAL_PARTIES, description: "item_sections: the item's other sections (their chiefs); named: the users in userIds" })
  @IsIn(CO_APPROVAL_PARTIES)
  parties: CoApprovalParties;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CO_APPROVERS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  userIds?: number[];
}

export class ApprovalStepDto {
  @ApiProperty({ enum: APPROVAL_STEP_KINDS })
  @IsIn(APPROVAL_STEP_KINDS)
  kind: ApprovalStepKind;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(50) label: string;
  @ApiPropertyOptional({ type: CoApprovalDto, description: '合議 (kind co_approval only)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoApprovalDto)
  co?: CoApprovalDto;
}

export class ExternalReviewOptionsDto {
  @ApiProperty({ description: '外部評価: accepted entries go to the assigned outside reviewers for recommendations (提言)' })
  @IsBoolean()
  enabled: boolean;
  @ApiProperty({ description: "the next cycle's entry needs its 対応方針 to the previous 提言 before it is submitted" })
  @IsBoolean()
  responseRequired: boolean;
}

export class ApprovalOptionsDto {
  @ApiProperty({ description: '職務分掌: one person approves at most one step of an entry (default true)' })
  @IsBoolean()
  segregation: boolean;
  @ApiProperty({
    enum: FALLBACK_APPROVER_KINDS,
    isArray: true,
    example: [...FALLBACK_APPROVER_KINDS],
    description: "who takes the evaluator's step when the evaluator may not act, in order; must include planning",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(FALLBACK_APPROVER_KINDS.length)
  @IsIn(FALLBACK_APPROVER_KINDS, { each: true })
  fallbackApprovers: FallbackApproverKind[];
  @ApiPropertyOptional({ type: ExternalReviewOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExternalReviewOptionsDto)
  externalReview?: ExternalReviewOptionsDto;
}

export class ReminderScheduleDto {
  @ApiProperty({ example: [7, 3] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(60, { each: true })
  beforeBusinessDays: number[];
  @ApiProperty() @IsBoolean() onDeadline: boolean;
  @ApiProperty() @IsInt() @Min(0) @Max(30) overdueEveryBusinessDays: number;
  @ApiProperty() @IsInt() @Min(0) @Max(30) overdueMaxCount: number;
}

export class CreateTemplateDto {
  @ApiProperty({ example: 'pledge-monthly' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,49}$/, { message: '半角英小文字・数字・ハイフンの2〜50文字で入力してください' })
  code: string;
  @ApiProperty({ example: '市長公約 月次進捗' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty() @IsInt() @Min(1) planId: number;
  @ApiProperty({ enum: PERIOD_TYPES }) @IsIn(PERIOD_TYPES) periodType: PeriodType;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(2) @Max(10) spanYears?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1989) @Max(2200) firstFiscalYear?: number;
  @ApiProperty({ example: 'progress4' }) @IsString() @MinLength(1) scaleCode: string;
  @ApiPropertyOptional({ type: [FormFieldDto], description: 'the form, in order; default: the six built-in fields' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FORM_FIELDS)
  @ValidateNested({ each: true })
  @Type(() => FormFieldDto)
  fields?: FormFieldDto[];
  @ApiPropertyOptional({ enum: FORM_LAYOUTS, description: 'printable report: list (one table) or sheet (A4 per item)' })
  @IsOptional()
  @IsIn(FORM_LAYOUTS)
  layout?: FormLayout;
  @ApiPropertyOptional({ type: [ApprovalStepDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ApprovalStepDto)
  approvalRoute?: ApprovalStepDto[];
  @ApiPropertyOptional({ type: ApprovalOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApprovalOptionsDto)
  approvalOptions?: ApprovalOptionsDto;
  @ApiPropertyOptional({ description: 'submission deadline: calendar days after period end (negative = before)' })
  @IsOptional()
  @IsInt()
  @Min(-60)
  @Max(120)
  submissionOffsetDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(-60) @Max(180) reviewOffsetDays?: number;
  @ApiPropertyOptional({ type: ReminderScheduleDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReminderScheduleDto)
  reminderSchedule?: ReminderScheduleDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoOpen?: boolean;
  @ApiPropertyOptional({ enum: RETENTION_CLASSES, description: '保存期間 of the record of each closed cycle (default 5y)' })
  @IsOptional()
  @IsIn(RETENTION_CLASSES)
  retentionClass?: RetentionClass;
}

export class UpdateTemplateDto extends PartialType(CreateTemplateDto) {
  @ApiProperty() @IsInt() @Min(1) version: number;
}
