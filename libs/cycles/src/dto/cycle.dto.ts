import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { CYCLE_ACTIONS, type CycleAction } from '@app/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class CreateCycleDto {
  @ApiProperty() @IsInt() @Min(1) templateId: number;
  @ApiPropertyOptional({ example: '2024-H1', description: 'period key; or give date' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  periodKey?: string;
  @ApiPropertyOptional({ example: '2024-06-15', description: 'a date inside the period' })
  @IsOptional()
  @IsDateString({ strict: true })
  date?: string;
}

export class CycleActionDto {
  @ApiProperty({ enum: CYCLE_ACTIONS, enumName: 'CycleAction' })
  @IsIn(CYCLE_ACTIONS)
  action: CycleAction;
  @ApiPropertyOptional({ description: 'required for force_close and reopen' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}

export class ScaleOptionDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(20) value: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(10) symbol: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(50) label: string;
  @ApiProperty({ description: 'common ordinal 0 (worst) .. 3 (best)' }) @IsInt() @Min(0) @Max(3) ordinal: number;
}

export class CreateScaleDto {
  @ApiProperty() @IsString() @MinLength(2) @MaxLength(30) code: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ type: [ScaleOptionDto] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ScaleOptionDto)
  options: ScaleOptionDto[];
  @ApiProperty({ example: ['C'] }) @IsArray() @IsString({ each: true }) reasonRequiredFor: string[];
}
