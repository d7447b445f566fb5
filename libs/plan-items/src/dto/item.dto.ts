import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { KPI_DIRECTIONS, KPI_KINDS } from '@app/domain';
import type { KpiDirection, KpiKind } from '@app/domain';

export class ItemSectionDto {
  @ApiProperty() @IsInt() @Min(1) sectionId: number;
  @ApiPropertyOptional({ description: "this section's own 実施内容" }) @IsOptional() @IsString() @MaxLength(20000) content?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) targetDateText?: string;
}

export class ItemKpiDto {
  @ApiPropertyOptional({ description: 'an existing KPI of the item, to rename it keeping its id (else matched by name)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  id?: number;
  @ApiProperty({ example: '実施園数' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: '園' }) @IsOptional() @IsString() @MaxLength(50) unit?: string;
  @ApiPropertyOptional({ enum: KPI_KINDS, description: 'numeric (default) or milestone (a worded target: 策定完了)' })
  @IsOptional()
  @IsIn(KPI_KINDS)
  kind?: KpiKind;
  @ApiPropertyOptional({ enum: KPI_DIRECTIONS, description: 'higher (default) or lower is better' })
  @IsOptional()
  @IsIn(KPI_DIRECTIONS)
  direction?: KpiDirection;
  @ApiPropertyOptional({
    example: { '2024': 80, '2025': 90 },
    description:
      'target per fiscal year: numbers (typed full-width digits accepted) for numeric KPIs, wording for milestones; left out keeps the stored targets',
  })
  @IsOptional()
  @IsObject()
  targets?: Record<string, number | string | null>;
}

export class CreateItemDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(1_000_000) number: number;
  @ApiPropertyOptional({ example: '①' }) @IsOptional() @IsString() @MaxLength(20) subNumber?: string;
  @ApiPropertyOptional({ example: '第1章 デジタル未来都市' }) @IsOptional() @IsString() @MaxLength(200) chapter?: string;
  @ApiPropertyOptional({ example: 'デジタル' }) @IsOptional() @IsString() @MaxLength(200) category?: string;
  @ApiProperty({ example: '18歳までの医療費完全無料化' }) @IsString() @MinLength(1) @MaxLength(500) title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) content?: string;
  @ApiPropertyOptional({ example: 'R6.10', description: "free text: '未定', 'R6.10', '年度ごとに達成度を確認'" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  targetDateText?: string;
  @ApiProperty({ type: [ItemSectionDto], description: 'responsible sections (所管課), at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ItemSectionDto)
  sections: ItemSectionDto[];
  @ApiPropertyOptional({ type: [ItemKpiDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ItemKpiDto)
  kpis?: ItemKpiDto[];
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() @Min(1) evaluatorUserId?: number | null;
  @ApiPropertyOptional({ nullable: true, description: '予算額 (千円)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e13)
  budgetThousandYen?: number | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { legalBasis: '子ども・子育て支援法', sdgs: ['3', '4'], budget: { '2024': 1200 } },
    description: 'the plan\'s item attributes by key (per-year ones as {"2024": value}); null clears one, keys left out keep their values',
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

export class UpdateItemDto extends PartialType(CreateItemDto) {
  @ApiProperty({ description: 'the version read; a stale one gives 409' }) @IsInt() @Min(1) version: number;
}

export class ListItemsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) chapter?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) sectionId?: number;
  @ApiPropertyOptional({ description: 'title contains' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}
