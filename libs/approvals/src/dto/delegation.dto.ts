import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateDelegationDto {
  @ApiPropertyOptional({ description: 'the principal; defaults to the caller (planning/admin may name anyone)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  fromUserId?: number;
  @ApiProperty({ description: 'the delegate (代理者)' }) @IsInt() @Min(1) toUserId: number;
  @ApiProperty({ example: '2024-10-01', description: 'first day, Asia/Tokyo, inclusive' })
  @Matches(DATE, { message: '日付(YYYY-MM-DD)で入力してください' })
  @IsDateString({ strict: true })
  startsOn: string;
  @ApiProperty({ example: '2024-10-07', description: 'last day, Asia/Tokyo, inclusive' })
  @Matches(DATE, { message: '日付(YYYY-MM-DD)で入力してください' })
  @IsDateString({ strict: true })
  endsOn: string;
  @ApiPropertyOptional({ example: '出張のため' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
