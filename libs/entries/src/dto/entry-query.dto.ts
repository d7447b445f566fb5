import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ENTRY_STATES } from '@app/domain';
import type { EntryState } from '@app/domain';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class EntryQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) sectionId?: number;
  @ApiPropertyOptional({ enum: ENTRY_STATES }) @IsOptional() @IsIn(ENTRY_STATES as EntryState[]) state?: EntryState;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) rating?: string;
  @ApiPropertyOptional({ default: 1, maximum: 100000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) pageSize?: number;
}

export class MatrixQueryDto {
  @ApiPropertyOptional({ description: 'fiscal year (2024 = 令和6年度); all cycles when omitted' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1989)
  @Max(2200)
  fiscalYear?: number;
}
