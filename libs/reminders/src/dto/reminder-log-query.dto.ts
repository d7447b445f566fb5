import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { MAIL_LOG_KINDS, type MailLogKind } from '@app/domain';

/** Which mails of a cycle's send log to show (or download): one recipient, one kind, or all. */
export class ReminderLogQueryDto {
  @ApiPropertyOptional({ description: 'only the mails to this user' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '宛先(recipientUserId)は利用者の番号で指定してください' })
  @Min(1, { message: '宛先(recipientUserId)は利用者の番号で指定してください' })
  recipientUserId?: number;

  @ApiPropertyOptional({ enum: MAIL_LOG_KINDS })
  @IsOptional()
  @IsIn(MAIL_LOG_KINDS, { message: '種類(kind)は digest（督促）、returned（差戻し通知）、notice（お知らせ）のいずれかを指定してください' })
  kind?: MailLogKind;
}
