import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_FORM_FIELDS } from '@app/domain';
import { PLAN_KINDS } from '@app/domain/plans/plan-kind';
import type { PlanKind } from '@app/domain/plans/plan-kind';

export { PLAN_KINDS, PLAN_KIND_LABELS } from '@app/domain/plans/plan-kind';
export type { PlanKind } from '@app/domain/plans/plan-kind';

const ITEM_FIELDS_DOC = {
  type: 'array',
  items: { type: 'object' },
  example: [
    { key: 'legalBasis', label: '根拠法令', type: 'short_text' },
    { key: 'budget', label: '予算額', type: 'money', unit: '千円', perYear: true },
    { key: 'sdgs', label: 'SDGs', type: 'multi_choice', maxSelections: 3, options: [{ value: '3', label: '3 すべての人に健康と福祉を' }] },
  ],
  description: "the plan's item attributes (FormField, scope 'item', no rules), in order",
} as const;

export class CreatePlanDto {
  @ApiProperty({ example: 'pledges-2023' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,49}$/, { message: '半角英小文字・数字・ハイフンの2〜50文字で入力してください' })
  code: string;
  @ApiProperty({ example: '市長公約 重点政策No.1~45' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: PLAN_KINDS }) @IsIn(PLAN_KINDS) kind: PlanKind;
  @ApiPropertyOptional(ITEM_FIELDS_DOC) @IsOptional() @IsArray() @ArrayMaxSize(MAX_FORM_FIELDS) itemFields?: unknown[];
}

export class UpdatePlanDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: PLAN_KINDS }) @IsOptional() @IsIn(PLAN_KINDS) kind?: PlanKind;
  @ApiPropertyOptional(ITEM_FIELDS_DOC) @IsOptional() @IsArray() @ArrayMaxSize(MAX_FORM_FIELDS) itemFields?: unknown[];
  @ApiPropertyOptional({ description: 'the version read; a stale one gives 409 (left out: no check)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;
}
