import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One reminder mail row as the API returns it (Swagger description only). */
export class ReminderMailDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty() recipientUserId: number;
  @ApiProperty({ enum: ['digest', 'returned', 'notice', 'daily'] }) kind: string;
  @ApiProperty({ example: '2025-05-07T09', description: 'Tokyo send hour; resends carry a ~rN suffix' }) slotKey: string;
  @ApiProperty() sendAt: Date;
  @ApiProperty({ enum: ['pending', 'enqueued', 'sending', 'sent', 'failed', 'cancelled', 'bundled'], description: 'bundled: went in a daily mail (bundleId)' })
  status: string;
  @ApiProperty({ type: [Number] }) entryIds: number[];
  @ApiProperty({ type: [Number], description: 'department heads copied after the deadline' }) ccUserIds: number[];
  @ApiPropertyOptional() subject: string | null;
  @ApiPropertyOptional({ example: '<reminder-42@hyoka>' }) messageId: string | null;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional() lastError: string | null;
  @ApiPropertyOptional() resentFromId: string | null;
  @ApiPropertyOptional() sentAt: Date | null;
}
