import { ApiProperty } from '@nestjs/swagger';
import { ENTRY_STATES, MAIL_KINDS, MAIL_LOG_KINDS, MAIL_STATUSES, REMINDER_AUDIENCES, REMINDER_KINDS, REMINDER_SLOT_STATUSES } from '@app/domain';
import {
  ApiArray,
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiNullableDateTime,
  ApiNullableNumber,
  ApiNullableString,
  ApiNumber,
  ApiNumberRecord,
  ApiNumbers,
  ApiString,
  ApiObject,
  ApiOptional,
} from '@app/common';

/** One reminder mail row (reminder_mails) as the API returns it. */
export class ReminderMailDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiNumber() recipientUserId: number;
  @ApiEnum(MAIL_KINDS, 'MailKind') kind: string;
  @ApiProperty({ example: '2025-05-07T09', description: 'Tokyo send hour; resends carry a ~rN suffix' }) slotKey: string;
  @ApiDateTime() sendAt: string;
  @ApiEnum(MAIL_STATUSES, 'MailStatus') status: string;
  @ApiNullableNumber('the returned entry (kind returned)') entryId: number | null;
  @ApiNullableString() comment: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "a notice's text, composed when its event happened" })
  payload: Record<string, unknown> | null;
  @ApiNumbers('department heads copied after the deadline') ccUserIds: number[];
  @ApiNumbers() entryIds: number[];
  @ApiNullableString() subject: string | null;
  @ApiProperty({ type: String, nullable: true, example: '<reminder-42@hyoka>' }) messageId: string | null;
  @ApiNumber() attempts: number;
  @ApiNullableString() jobId: string | null;
  @ApiNullableString() lastError: string | null;
  @ApiNullableString() resentFromId: string | null;
  @ApiDateTime() createdAt: string;
  @ApiNullableDateTime() enqueuedAt: string | null;
  @ApiNullableDateTime() claimedAt: string | null;
  @ApiNullableDateTime() sentAt: string | null;
  @ApiNullableString('the daily mail this row went out in (status bundled)') bundleId: string | null;
  @ApiNullableDateTime('when the recipient marked it read in the bell') readAt: string | null;
}

export class CycleReminderMailDto extends ReminderMailDto {
  @ApiString() recipientName: string;
  @ApiString() recipientLogin: string;
}

export class ReminderFailureDto {
  @ApiString() id: string;
  @ApiNumber() recipientUserId: number;
  @ApiString() recipientName: string;
  @ApiEnum(MAIL_KINDS, 'MailKind') kind: string;
  @ApiString() slotKey: string;
  @ApiNumber() attempts: number;
  @ApiNullableString() lastError: string | null;
}

/** reminder_slots: one send time of one cycle and audience, written when the cycle opens. */
export class ReminderSlotDto {
  @ApiString() id: string;
  @ApiEnum(REMINDER_AUDIENCES, 'ReminderAudience') audience: string;
  @ApiEnum(REMINDER_KINDS, 'ReminderKind') kind: string;
  @ApiDay() deadline: string;
  @ApiNumber('negative before the deadline, 0 on it, positive when overdue') businessDaysFromDeadline: number;
  @ApiDateTime() sendAt: string;
  @ApiEnum(REMINDER_SLOT_STATUSES, 'ReminderSlotStatus') status: string;
  @ApiNullableDateTime() fannedOutAt: string | null;
}

/** GET /cycles/:id/reminders: counts per status, failures with their errors, every row. */
/** The send log's filter as applied (absent: all). */
export class ReminderLogFilterDto {
  @ApiOptional({ type: Number }) recipientUserId?: number;
  @ApiOptional({ enum: [...MAIL_LOG_KINDS], enumName: 'MailLogKind' }) kind?: string;
}

export class LogRecipientDto {
  @ApiNumber() id: number;
  @ApiString() name: string;
}

export class CycleRemindersDto {
  @ApiNumber() cycleId: number;
  @ApiObject(() => ReminderLogFilterDto) filter: ReminderLogFilterDto;
  @ApiArray(() => LogRecipientDto, "everyone the cycle's log names (the recipient filter's choices), whatever the filter") recipients: LogRecipientDto[];
  @ApiNumberRecord('mails per status') counts: Record<string, number>;
  @ApiArray(() => ReminderFailureDto) failures: ReminderFailureDto[];
  @ApiArray(() => ReminderSlotDto) slots: ReminderSlotDto[];
  @ApiArray(() => CycleReminderMailDto) mails: CycleReminderMailDto[];
}

export class DigestEntryDto {
  @ApiNumber() id: number;
  @ApiNumber() cycleId: number;
  @ApiString() itemLabel: string;
  @ApiString() title: string;
  @ApiString() sectionName: string;
  @ApiEnum(ENTRY_STATES, 'EntryState') state: string;
  @ApiString() stateLabel: string;
  @ApiString() url: string;
}

export class DigestGroupDto {
  @ApiNumber() cycleId: number;
  @ApiString() cycleLabel: string;
  @ApiEnum(REMINDER_AUDIENCES, 'ReminderAudience') audience: string;
  @ApiString() actionLabel: string;
  @ApiEnum(REMINDER_KINDS, 'ReminderKind') kind: string;
  @ApiDay() deadline: string;
  @ApiString() deadlineText: string;
  @ApiString() slotText: string;
  @ApiArray(() => DigestEntryDto) entries: DigestEntryDto[];
}

/** A reminder the caller will get, with the entries it would list now. */
export class UpcomingReminderDto {
  @ApiDateTime() sendAt: string;
  @ApiString() slotKey: string;
  @ApiEnum(REMINDER_KINDS, 'ReminderKind') kind: string;
  @ApiNumber() total: number;
  @ApiArray(() => DigestGroupDto) groups: DigestGroupDto[];
  @ApiNumbers() entryIds: number[];
  @ApiNumbers() ccUserIds: number[];
}

/** GET /reminders/mine: my next reminder send times, and my last mails. */
export class MyRemindersDto {
  @ApiArray(() => UpcomingReminderDto) upcoming: UpcomingReminderDto[];
  @ApiArray(() => ReminderMailDto) recent: ReminderMailDto[];
}
