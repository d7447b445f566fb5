import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class SsoExchangeDto {
  @ApiProperty({ description: 'The one-time code the single sign-on callback handed the web UI' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,100}$/, { message: 'code: シングルサインオンのコードの形式が正しくありません' })
  code: string;
}
