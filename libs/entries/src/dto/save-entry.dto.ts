import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class KpiActualDto {
  @ApiProperty() @IsInt() @Min(1) kpiId: number;
  @ApiProperty({ nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  actual: number | null;
}

const TEXT = 20000;

/** A draft save or a submit: the version read by the client plus the fields it changed. */
export class SaveEntryDto {
  @ApiProperty({ description: 'the version the client last read (optimistic locking)' })
  @IsInt() @Min(1)
  version: number;

  @ApiPropertyOptional({ nullable: true, example: '○' })
  @IsOptional() @IsString() @MaxLength(20)
  rating?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) progress?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) fiscalGoal?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) shortTermPlan?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) reason?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) nextSteps?: string | null;

  @ApiPropertyOptional({ type: [KpiActualDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => KpiActualDto)
  kpiActuals?: KpiActualDto[];
}
