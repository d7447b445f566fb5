import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { mailColumns, reminderMessageId } from './entities/reminder-rows';
import type { ReminderMailRow } from './entities/reminder-rows';
import { isPermanentSmtpError, MailTransportService } from './mail-transport.service';
import { ComposedMail, PermanentMailError, ReminderContentService } from './reminder-content.service';
import { NoticeComposerService } from './notices/notice-composer.service';

export type SendOutcome = 'sent' | 'cancelled' | 'failed' | 'retry' | 'already_handled';

/** What one send job did with each of its rows. */
export type BatchOutcome = Record<SendOutcome, number>;

/** The Tokyo hour a slot key names ('2025-05-07T09', resends carry a suffix), as an instant. */
export function slotHourStart(slotKey: string): Date {
  return new Date(`${slotKey.slice(0, 13)}:00:00+09:00`);
}

/** A send attempt that failed for a reason that may pass (connection refused, timeout, 4xx). */
export class TransientSendError extends Error {}

const CLAIMABLE = `status IN ('pending','enqueued')`;

/**
 * Sends the reminder mail rows of one job, one after the other. The job claims its rows, then
 * composes their digests together (a few queries for all, not per mail), so a mail costs its
 * SMTP exchange and the UPDATE that marks it sent. A re-delivered or duplicated job finds its
 * rows taken and does nothing. The content is computed at send time, so what was done since
 * the row was planned is not nagged about; failures are written on the row (visible in the
 * API), never dropped.
 */
@Injectable()
export class ReminderSenderService {
  private readonly logger = new Logger(ReminderSenderService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly content: ReminderContentService,
    private readonly notices: NoticeComposerService,
    private readonly transport: MailTransportService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Sends the rows `mailIds` that are still to send, as job `jobId`. Throws TransientSendError
   * when some row failed for a reason that may pass and this is not the final attempt: those
   * rows are back to 'enqueued' and BullMQ retries the job with backoff (the retry finds the
   * sent rows taken and only sends the rest).
   */
  async sendBatch(jobId: string, mailIds: string[], finalAttempt: boolean): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { sent: 0, cancelled: 0, failed: 0, retry: 0, already_handled: 0 };
    // The whole batch is claimed for this job at once: if the worker dies, the sweeper gives
    // the rows it never reached back to the queue when the lease runs out, like a half-sent one.
    const [rows]: [ReminderMailRow[], number] = await this.dataSource.query(
      `UPDATE reminder_mails SET status = 'sending', claimed_at = now(), job_id = $2, attempts = attempts + 1
        WHERE id = ANY($1) AND ${CLAIMABLE} RETURNING ${mailColumns()}`,
      [mailIds, jobId],
    );
    const claimedAt = performance.now();
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    outcome.already_handled = mailIds.length - rows.length;
    const digests = await this.composeDigests(rows);
    let lastError = '';
    for (const row of rows) {
      // Within half the lease of the claim no sweeper can have taken a row; later, each row's
      // lease is renewed before its send (a slow SMTP server, a big batch).
      const renew = performance.now() - claimedAt > (this.config.REMINDER_SEND_LEASE_SECONDS * 1000) / 2;
      const result = await this.sendRow(row, jobId, digests, finalAttempt, renew);
      outcome[result.outcome] += 1;
      if (result.error) lastError = result.error;
    }
    if (outcome.retry > 0) throw new TransientSendError(`${outcome.retry} of ${mailIds.length} mails to retry: ${lastError}`);
    return outcome;
  }

  /** The digests of the batch's rows, composed per send hour in one go; keyed by row id. */
  private async composeDigests(rows: ReminderMailRow[]): Promise<Map<string, ComposedMail | PermanentMailError | null>> {
    const byHour = new Map<string, ReminderMailRow[]>();
    for (const row of rows.filter((r) => r.kind === 'digest')) {
      const hour = row.slotKey.slice(0, 13);
      byHour.set(hour, [...(byHour.get(hour) ?? []), row]);
    }
    const out = new Map<string, ComposedMail | PermanentMailError | null>();
    for (const [hour, hourRows] of byHour) {
      const mails = await this.content.composeDigests(this.dataSource.manager, [...new Set(hourRows.map((r) => r.recipientUserId))], slotHourStart(hour));
      for (const row of hourRows) out.set(row.id, mails.get(row.recipientUserId) ?? null);
    }
    return out;
  }

  private async sendRow(
    row: ReminderMailRow,
    jobId: string,
    digests: Map<string, ComposedMail | PermanentMailError | null>,
    finalAttempt: boolean,
    renew: boolean,
  ): Promise<{ outcome: SendOutcome; error?: string }> {
    if (renew) {
      // Still this job's? The sweeper may have given it to another job while this one was busy.
      const [owned]: [unknown[], number] = await this.dataSource.query(
        `UPDATE reminder_mails SET claimed_at = now() WHERE id = $1 AND status = 'sending' AND job_id = $2 RETURNING id`,
        [row.id, jobId],
      );
      if (owned.length === 0) return { outcome: 'already_handled' };
    }
    try {
      const mail =
        row.kind === 'digest'
          ? digests.get(row.id)
          : row.kind === 'notice'
            ? await this.notices.compose(this.dataSource.manager, row.recipientUserId, row.payload)
            : await this.content.composeReturned(this.dataSource.manager, row.recipientUserId, row.entryId!, row.comment);
      if (mail instanceof PermanentMailError) throw mail;
      if (!mail) {
        await this.dataSource.query(`UPDATE reminder_mails SET status = 'cancelled', entry_ids = '{}', last_error = NULL WHERE id = $1`, [row.id]);
        return { outcome: 'cancelled' };
      }
      const messageId = reminderMessageId(row.id);
      await this.transport.send({ ...mail, messageId });
      await this.dataSource.query(
        `UPDATE reminder_mails SET status = 'sent', sent_at = now(), subject = $2, message_id = $3, entry_ids = $4,
                cc_user_ids = $5, last_error = NULL WHERE id = $1`,
        [row.id, mail.subject, messageId, mail.entryIds, mail.ccUserIds],
      );
      return { outcome: 'sent' };
    } catch (error) {
      // A 5xx or a person without an address will not change on retry; anything else may.
      const permanent = error instanceof PermanentMailError || isPermanentSmtpError(error);
      const message = ((error as Error).message ?? String(error)).slice(0, 2000);
      const failed = permanent || finalAttempt;
      await this.dataSource.query(`UPDATE reminder_mails SET status = $2, last_error = $3 WHERE id = $1`, [row.id, failed ? 'failed' : 'enqueued', message]);
      this.logger.warn(`reminder mail ${row.id} attempt ${row.attempts}: ${message}`);
      return { outcome: failed ? 'failed' : 'retry', error: message };
    }
  }
}
