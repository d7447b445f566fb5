import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class AssignReviewerDto {
  @ApiProperty() @IsInt() @Min(1) userId: number;
}

export class ReviewTextDto {
  @ApiPropertyOptional({ description: '提言 or 対応方針, up to 4000 characters' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  text?: string;
}
