import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, Min } from 'class-validator';

export class SaveScopeValuesDto {
  @ApiPropertyOptional({ description: 'the version read (0 or absent when none was saved yet); a stale one gives 409' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;

  @ApiProperty({ description: "the scope's fields by key (only those changed); null clears one", example: { policy: '風通しの良い体制づくり' } })
  @IsObject()
  values: Record<string, unknown>;
}
