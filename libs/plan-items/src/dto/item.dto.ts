import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
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

export class ItemSectionDto {
  @ApiProperty() @IsInt() @Min(1) sectionId: number;
  @ApiPropertyOptional({ description: "this section's own 実施内容" }) @IsOptional() @IsString() @MaxLength(20000) content?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) targetDateText?: string;
}

export class ItemKpiDto {
  @ApiProperty({ example: '実施園数' }) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: '園' }) @IsOptional() @IsString() @MaxLength(50) unit?: string;
  @ApiPropertyOptional({ example: { '2024': 80 }, description: 'target per fiscal year' })
  @IsOptional() @IsObject()
  targets?: Record<string, number>;
}

export class CreateItemDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(1_000_000) number: number;
  @ApiPropertyOptional({ example: '①' }) @IsOptional() @IsString() @MaxLength(20) subNumber?: string;
  @ApiPropertyOptional({ example: '第1章 デジタル未来都市' }) @IsOptional() @IsString() @MaxLength(200) chapter?: string;
  @ApiPropertyOptional({ example: 'デジタル' }) @IsOptional() @IsString() @MaxLength(200) category?: string;
  @ApiProperty({ example: '18歳までの医療費完全無料化' }) @IsString() @MinLength(1) @MaxLength(500) title: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) content?: string;
  @ApiPropertyOptional({ example: 'R6.10', description: "free text: '未定', 'R6.10', '年度ごとに達成度を確認'" })
  @IsOptional() @IsString() @MaxLength(200)
  targetDateText?: string;
  @ApiProperty({ type: [ItemSectionDto], description: 'responsible sections (所管課), at least one' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ItemSectionDto)
  sections: ItemSectionDto[];
  @ApiPropertyOptional({ type: [ItemKpiDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ItemKpiDto)
  kpis?: ItemKpiDto[];
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsInt() @Min(1) evaluatorUserId?: number | null;
  @ApiPropertyOptional({ nullable: true, description: '予算額 (千円)' })
  @IsOptional() @IsInt() @Min(0) @Max(1e13)
  budgetThousandYen?: number | null;
}

export class UpdateItemDto extends PartialType(CreateItemDto) {
  @ApiProperty({ description: 'the version read; a stale one gives 409' }) @IsInt() @Min(1) version: number;
}

export class ListItemsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) chapter?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) sectionId?: number;
  @ApiPropertyOptional({ description: 'title contains' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}
