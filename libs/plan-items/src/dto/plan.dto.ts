import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export const PLAN_KINDS = ['pledge', 'program', 'goal', 'evaluation'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export class CreatePlanDto {
  @ApiProperty({ example: 'pledges-2023' })
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{1,49}$/, { message: '半角英小文字・数字・ハイフンの2〜50文字で入力してください' })
  code: string;
  @ApiProperty({ example: '市長公約 重点政策No.1~45' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: PLAN_KINDS }) @IsIn(PLAN_KINDS) kind: PlanKind;
}

export class UpdatePlanDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: PLAN_KINDS }) @IsOptional() @IsIn(PLAN_KINDS) kind?: PlanKind;
}
