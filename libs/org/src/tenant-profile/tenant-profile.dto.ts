import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateIf } from 'class-validator';
import { ApiBoolean, ApiDateTime, ApiNullableDateTime, ApiNullableString, ApiNumber, ApiString } from '@app/common';

/**
 * PATCH /api/org/tenant: the fields given are changed, null or '' clears an optional one. Only
 * their type is checked here; what they hold is libs/domain's tenantProfileProblems (a 422 naming
 * the field, the same rule the settings page applies).
 */
export class UpdateTenantProfileDto {
  @ApiProperty({ description: 'the version read (a stale one: 409 with the current version)' }) @IsInt() @Min(1) version: number;
  @ApiPropertyOptional() @IsOptional() @IsString() name?: string;
  @ApiPropertyOptional({ nullable: true, example: '入間市 評価サイクル <hyoka@city.iruma.lg.jp>' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  mailFrom?: string | null;
  @ApiPropertyOptional({ nullable: true, description: '担当課名' }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsString() contactName?: string | null;
  @ApiPropertyOptional({ nullable: true }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsString() contactPhone?: string | null;
  @ApiPropertyOptional({ nullable: true }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsString() contactEmail?: string | null;
}

/** The multipart fields beside the file of POST /api/org/tenant/logo, and the query of DELETE. */
export class LogoVersionDto {
  @ApiProperty({ description: 'the version read' }) @Type(() => Number) @IsInt() @Min(1) version: number;
}

/** A municipality's profile as its administrator reads and edits it (団体設定). */
export class TenantProfileDto {
  @ApiNumber() id: number;
  @ApiNullableString('全国地方公共団体コード (shown, not editable by the municipality)') code: string | null;
  @ApiString() name: string;
  @ApiNullableString('the From of its mails') mailFrom: string | null;
  @ApiNullableString('担当課名') contactName: string | null;
  @ApiNullableString() contactPhone: string | null;
  @ApiNullableString() contactEmail: string | null;
  @ApiNullableString('its logo on this origin (/public/logo/<id>?v=<version>), null without one') logoUrl: string | null;
  @ApiNumber('raised by every change: send it back with the next one') version: number;
  @ApiBoolean('the name, sender and contact apply to mails and public pages (always with TENANCY=multi; once edited in a single-city installation)')
  inEffect: boolean;
  @ApiNullableDateTime('last edited from the UI') updatedAt: string | null;
  @ApiDateTime() createdAt: string;
}
