import { ApiBoolean, ApiDateTime, ApiEnum, ApiNumber, ApiString, ApiArray } from '@app/common';
import { MAIL_KINDS, NOTIFICATION_MODES } from '@app/domain';

/** One notice of the bell: an outbox row addressed to the caller. */
export class NotificationItemDto {
  @ApiString() id: string;
  @ApiEnum(MAIL_KINDS, 'MailKind') kind: string;
  @ApiString() title: string;
  @ApiDateTime('when it happened (for a reminder, its send hour)') at: string;
  @ApiBoolean() read: boolean;
  @ApiString('the UI route it opens: the entry when it names one') path: string;
}

export class NotificationListDto {
  @ApiNumber() unread: number;
  @ApiArray(() => NotificationItemDto) items: NotificationItemDto[];
}

export class UnreadCountDto {
  @ApiNumber() unread: number;
}

export class NotificationSettingsViewDto {
  @ApiEnum(NOTIFICATION_MODES, 'NotificationMode') mode: string;
}
