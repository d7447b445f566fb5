import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { NOTIFICATION_MODES, type NotificationMode } from '@app/domain';

export class NotificationSettingsDto {
  @ApiProperty({ enum: NOTIFICATION_MODES, description: 'immediate: each notice at once; daily: one mail a day at the send hour' })
  @IsIn(NOTIFICATION_MODES, { message: '通知の受け取り方(mode)は immediate（すぐに）か daily（1日1回まとめて）を指定してください' })
  mode: NotificationMode;
}
