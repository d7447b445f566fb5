import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, ValidateIf, ValidateBy, ValidateNested } from 'class-validator';

export class KpiActualDto {
  @ApiProperty() @IsInt() @Min(1) kpiId: number;
  @ApiProperty({
    nullable: true,
    oneOf: [{ type: 'number' }, { type: 'string' }],
    description: 'a number, a number as typed ("１，２００"), or a milestone\'s wording',
  })
  @ValidateIf((_, v) => v !== null)
  @IsNumberOrText()
  actual: number | string | null;
}

const TEXT = 20000;

function IsNumberOrText() {
  return ValidateBy({
    name: 'isNumberOrText',
    validator: {
      validate: (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 200),
      defaultMessage: () => '$property は数値または200文字以内の文字列で入力してください',
    },
  });
}

/** A draft save or a submit: the version read by the client plus the fields it changed. */
export class SaveEntryDto {
  @ApiProperty({ description: 'the version the client last read (optimistic locking)' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ nullable: true, example: '○' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  rating?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) progress?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) fiscalGoal?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) shortTermPlan?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) reason?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) nextSteps?: string | null;

  @ApiPropertyOptional({ description: "the form's own fields by key (only those changed); null clears one", example: { shortfallReason: '…' } })
  @IsOptional()
  @IsObject()
  values?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [KpiActualDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => KpiActualDto)
  kpiActuals?: KpiActualDto[];
}
