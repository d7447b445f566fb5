import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class ComparisonQueryDto {
  @ApiProperty({ example: 'pledge-half', description: 'the shared template code' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,49}$/, { message: '半角英小文字・数字・ハイフンの2〜50文字で入力してください' })
  code: string;
  @ApiPropertyOptional({ example: '2024-H1', description: 'the period key; default: the newest published' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z-]{1,20}$/, { message: '期間のキー(例: 2024-H1)を指定してください' })
  period?: string;
}
