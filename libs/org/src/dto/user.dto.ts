import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ROLES, type Role } from '@app/domain';

const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,49}$/;
const LOGIN_MESSAGE = '半角英小文字・数字と . _ - の2〜50文字で入力してください';

export class CreateUserDto {
  @ApiProperty({ example: 'staff-s01' }) @IsString() @Matches(LOGIN_PATTERN, { message: LOGIN_MESSAGE }) login: string;
  @ApiProperty({ example: '所沢 太郎' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ example: 'staff-s01@example.jp' }) @IsEmail() @MaxLength(200) email: string;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  sectionId?: number | null;
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsIn(ROLES, { each: true })
  roles: Role[];
  @ApiProperty({ minLength: 8 }) @IsString() @MinLength(8) @MaxLength(200) password: string;
  @ApiPropertyOptional({ nullable: true, example: 'A01234', description: '職員番号 (how personnel files name people); unique' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(/^[0-9A-Za-z-]{1,20}$/, { message: '半角英数字とハイフンの1〜20文字で入力してください' })
  staffNumber?: string | null;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(200) email?: string;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  sectionId?: number | null;
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsIn(ROLES, { each: true })
  roles?: Role[];
  @ApiPropertyOptional({ minLength: 8 }) @IsOptional() @IsString() @MinLength(8) @MaxLength(200) password?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ nullable: true, example: 'A01234', description: '職員番号 (how personnel files name people); unique' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(/^[0-9A-Za-z-]{1,20}$/, { message: '半角英数字とハイフンの1〜20文字で入力してください' })
  staffNumber?: string | null;
}
