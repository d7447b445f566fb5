import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const STATES = ['not_started', 'draft', 'submitted', 'in_review', 'returned', 'accepted', 'not_submitted'] as const;

export class EntryQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) sectionId?: number;
  @ApiPropertyOptional({ enum: STATES }) @IsOptional() @IsIn(STATES) state?: (typeof STATES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) rating?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) pageSize?: number;
}

export class MatrixQueryDto {
  @ApiPropertyOptional({ description: 'fiscal year (2024 = 令和6年度); all cycles when omitted' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1989) @Max(2200)
  fiscalYear?: number;
}
