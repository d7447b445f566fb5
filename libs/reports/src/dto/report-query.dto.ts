import { IsCalendarDate } from '@app/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** 'false'/'0' -> false, 'true'/'1' -> true; anything else is left for IsBoolean to refuse. */
const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

export class SummaryQueryDto {
  @ApiPropertyOptional({ default: true, description: 'count accepted entries only (the published figures)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  acceptedOnly?: boolean;
}

export class YearOverYearQueryDto {
  @ApiPropertyOptional({ default: false, description: 'show accepted entries only' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  acceptedOnly?: boolean;
}

export class CompletenessQueryDto {
  @ApiPropertyOptional({ description: 'judge lateness as of this day (YYYY-MM-DD, default today in Japan)' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class MatrixExportQueryDto {
  @ApiPropertyOptional({ description: 'fiscal year (2024 = 令和6年度); all cycles when omitted' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1989)
  @Max(2200)
  fiscalYear?: number;
}

export class DisposalQueryDto {
  @ApiPropertyOptional({ description: 'the day the list is for (YYYY-MM-DD, default today in Japan)' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}
