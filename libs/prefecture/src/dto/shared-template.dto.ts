import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
import { ApprovalStepDto, CreateTemplateDto } from '@app/cycles/dto/template.dto';

/** POST /shared-templates: what a prefecture distributes (its approval route is each municipality's own). */
export class PublishSharedTemplateDto extends PickType(CreateTemplateDto, [
  'code',
  'name',
  'periodType',
  'spanYears',
  'firstFiscalYear',
  'scaleCode',
  'fields',
  'layout',
] as const) {}

/** POST /shared-templates/:id/adopt: the municipality's plan and, optionally, its approval route. */
export class AdoptSharedTemplateDto {
  @ApiProperty() @IsInt() @Min(1) planId: number;
  @ApiPropertyOptional({ type: [ApprovalStepDto], description: 'default: the standard route (課長 → 評価者 → 企画), to be set on the template screen' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ApprovalStepDto)
  approvalRoute?: ApprovalStepDto[];
}
