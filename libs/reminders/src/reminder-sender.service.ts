import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { mailColumns, reminderMessageId } from './entities/reminder-rows';
import type { ReminderMailRow } from './entities/reminder-rows';
import { isPermanentSmtpError, MailTransportService } from './mail-transport.service';
import { PermanentMailError, ReminderContentService } from './reminder-content.service';

export type SendOutcome = 'sent' | 'cancelled' | 'already_handled';

/** The Tokyo hour a slot key names ('2025-05-07T09', resends carry a suffix), as an instant. */
export function slotHourStart(slotKey: string): Date {
  return new Date(`${slotKey.slice(0, 13)}:00:00+09:00`);
}

/**
 * Sends one reminder mail row. The conditional claim makes a re-delivered or duplicated job a
 * no-op; the content is computed now, so what was done since the row was planned is not nagged
 * about; failures are written on the row (visible in the API), never dropped.
 */
@Injectable()
export class ReminderSenderService {
  private readonly logger = new Logger(ReminderSenderService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly content: ReminderContentService,
    private readonly transport: MailTransportService,
  ) {}

  async send(mailId: string, finalAttempt: boolean): Promise<SendOutcome> {
    const [[row]]: [ReminderMailRow[], number] = await this.dataSource.query(
      `UPDATE reminder_mails SET status = 'sending', claimed_at = now(), attempts = attempts + 1
        WHERE id = $1 AND status IN ('pending','enqueued') RETURNING ${mailColumns()}`,
      [mailId],
    );
    if (!row) return 'already_handled';
    try {
      const em = this.dataSource.manager;
      const mail =
        row.kind === 'digest'
          ? await this.content.composeDigest(em, row.recipientUserId, slotHourStart(row.slotKey))
          : await this.content.composeReturned(em, row.recipientUserId, row.entryId!, row.comment);
      if (!mail) {
        await this.dataSource.query(
          `UPDATE reminder_mails SET status = 'cancelled', entry_ids = '{}', last_error = NULL WHERE id = $1`,
          [row.id],
        );
        return 'cancelled';
      }
      const messageId = reminderMessageId(row.id);
      await this.transport.send({ ...mail, messageId });
      await this.dataSource.query(
        `UPDATE reminder_mails SET status = 'sent', sent_at = now(), subject = $2, message_id = $3, entry_ids = $4,
                cc_user_ids = $5, last_error = NULL WHERE id = $1`,
        [row.id, mail.subject, messageId, mail.entryIds, mail.ccUserIds],
      );
      return 'sent';
    } catch (error) {
      const permanent = error instanceof PermanentMailError || isPermanentSmtpError(error);
      const message = (error as Error).message ?? String(error);
      await this.dataSource.query(`UPDATE reminder_mails SET status = $2, last_error = $3 WHERE id = $1`, [
        row.id,
        permanent || finalAttempt ? 'failed' : 'enqueued',
        message.slice(0, 2000),
      ]);
      this.logger.warn(`reminder mail ${row.id} attempt ${row.attempts}: ${message}`);
      // A 5xx will not change on retry; anything else is retried with backoff by BullMQ.
      if (permanent) throw new UnrecoverableError(message);
      throw error;
    }
  }
}
