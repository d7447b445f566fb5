import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export class VersionDto {
  @ApiProperty({ description: 'the version the client last read (optimistic locking)' })
  @IsInt()
  @Min(1)
  version: number;
}

export class ApproveDto extends VersionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class ReturnDto extends VersionDto {
  @ApiProperty({ description: '差戻し理由 (required)' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  comment: string;
  @ApiPropertyOptional({
    description: 'comments per field, e.g. {"rating": "…", "progress": "…"}',
    example: { progress: '実績の数値を記載してください' },
  })
  @IsOptional()
  @IsObject()
  fieldComments?: Record<string, string>;
}

export class ReopenDto extends VersionDto {
  @ApiProperty({ description: '再開の理由 (required)' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason: string;
}

export class BulkApproveItemDto {
  @ApiProperty() @IsInt() @Min(1) id: number;
  @ApiProperty() @IsInt() @Min(1) version: number;
}

export class BulkApproveDto {
  @ApiProperty({ type: [BulkApproveItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => BulkApproveItemDto)
  items: BulkApproveItemDto[];
}

export class AuditExportQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) cycleId: number;
}

/** One page of the inbox: `cursor` is the previous page's `nextCursor`. */
export class InboxQueryDto {
  @ApiPropertyOptional({ description: 'entries per page (1-200, default 50)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
