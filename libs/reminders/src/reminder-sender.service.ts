import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlWords } from '@app/common';
import { AppConfig } from '@app/config';
import { MAIL_CLAIMABLE, slotHourStart } from '@app/domain';
import { OutboxRedisService } from './outbox-redis.service';
import { mailColumns, reminderMessageId } from './entities/reminder-rows';
import type { ReminderMailRow } from './entities/reminder-rows';
import { isPermanentSmtpError, MailTransportService } from './mail-transport.service';
import { ComposedMail, PermanentMailError, ReminderContentService } from './reminder-content.service';
import { NoticeComposerService } from './notices/notice-composer.service';
import { DailyMailService, type DailyMail } from './daily/daily-mail.service';

export type SendOutcome = 'sent' | 'cancelled' | 'failed' | 'retry' | 'already_handled';

/** A row's claim made ahead by the previous row's mark-sent statement: its attempts, or 'taken' (not claimable); null: not made. */
type Claim = { attempts: number } | 'taken' | null;

/** What one send job did with each of its rows. */
export type BatchOutcome = Record<SendOutcome, number>;

/** A send attempt that failed for a reason that may pass (connection refused, timeout, 4xx). */
export class TransientSendError extends Error {}

const CLAIMABLE = `status IN (${sqlWords(MAIL_CLAIMABLE)})`;

/** First and longest wait between tries to mark an accepted mail sent. */
const MARK_SENT_FIRST_RETRY_MS = 100;
const MARK_SENT_MAX_RETRY_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the reminder mail rows of one job, one after the other. The job composes the digests
 * of its rows together (a few queries for all, not per mail), then claims each row just before
 * its send, so a worker that dies strands only the mail it had on the wire; the rows it never
 * reached stay queued for whichever job gets them first. While a row is claimed its lease is
 * renewed every third of REMINDER_SEND_LEASE_SECONDS, so a slow but live sender keeps it.
 * Once the SMTP server has accepted a mail, the row is marked sent, retried until the database
 * takes it: the mail is never sent again by this worker. The content is computed at send
 * time, so what was done since the row was planned is not nagged about; failures are written
 * on the row (visible in the API), never dropped.
 */
@Injectable()
export class ReminderSenderService implements OnModuleDestroy {
  private readonly logger = new Logger(ReminderSenderService.name);
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly content: ReminderContentService,
    private readonly notices: NoticeComposerService,
    private readonly daily: DailyMailService,
    private readonly transport: MailTransportService,
    private readonly redis: OutboxRedisService,
    private readonly config: AppConfig,
  ) {}

  /** Stops the mark-sent retries, so the queue's workers can close (their jobs end). */
  onModuleDestroy(): void {
    this.stopping = true;
  }

  /**
   * Sends the rows `mailIds` that are still to send, as job `jobId`. Throws TransientSendError
   * when some row failed for a reason that may pass and this is not the final attempt: those
   * rows are back to 'enqueued' and BullMQ retries the job with backoff (the retry finds the
   * sent rows taken and only sends the rest).
   */
  async sendBatch(jobId: string, mailIds: string[], finalAttempt: boolean): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { sent: 0, cancelled: 0, failed: 0, retry: 0, already_handled: 0 };
    // Read, not claimed: each row is claimed on its turn (sendRow).
    const rows: ReminderMailRow[] = await this.dataSource.query(`SELECT ${mailColumns()} FROM reminder_mails WHERE id = ANY($1) AND ${CLAIMABLE} ORDER BY id`, [
      mailIds,
    ]);
    outcome.already_handled = mailIds.length - rows.length;
    const digests = await this.composeDigests(rows);
    let lastError = '';
    // The claim of the next row, when the previous row's mark-sent statement made it too.
    let claim: Claim = null;
    for (const [i, row] of rows.entries()) {
      const result = await this.sendRow(row, jobId, digests, finalAttempt, claim, rows[i + 1]?.id ?? null);
      claim = result.nextClaim ?? null;
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

  /**
   * @param claim the row's claim if the previous row's mark-sent statement already made it
   * @param nextId the row after this one in the job, claimed by this row's mark-sent statement
   */
  private async sendRow(
    row: ReminderMailRow,
    jobId: string,
    digests: Map<string, ComposedMail | PermanentMailError | null>,
    finalAttempt: boolean,
    claim: Claim,
    nextId: string | null,
  ): Promise<{ outcome: SendOutcome; error?: string; nextClaim?: Claim }> {
    // Still to send? Another job (a copy the sweeper queued, a retry) may have taken it meanwhile.
    const [claimed]: [{ attempts: number }[], number] = claim
      ? [claim === 'taken' ? [] : [claim], 0]
      : await this.dataSource.query(
          `UPDATE reminder_mails SET status = 'sending', claimed_at = now(), job_id = $2, attempts = attempts + 1
            WHERE id = $1 AND ${CLAIMABLE} RETURNING attempts`,
          [row.id, jobId],
        );
    if (claimed.length === 0) return { outcome: 'already_handled' };
    const lease = this.keepLease(row.id, jobId);
    try {
      let mail: ComposedMail | PermanentMailError | null | undefined;
      try {
        mail =
          row.kind === 'digest'
            ? digests.get(row.id)
            : row.kind === 'daily'
              ? await this.daily.compose(this.dataSource.manager, row)
              : row.kind === 'notice'
                ? await this.notices.compose(this.dataSource.manager, row.recipientUserId, row.payload)
                : await this.content.composeReturned(this.dataSource.manager, row.recipientUserId, row.entryId!, row.comment);
        if (mail instanceof PermanentMailError) throw mail;
        if (!mail) {
          if (row.kind === 'daily')
            await this.dataSource.query(`UPDATE reminder_mails SET status = 'cancelled' WHERE bundle_id = $1 AND status = 'bundled'`, [row.id]);
          await this.dataSource.query(
            `UPDATE reminder_mails SET status = 'cancelled', entry_ids = '{}', last_error = NULL WHERE id = $1 AND status = 'sending' AND job_id = $2`,
            [row.id, jobId],
          );
          return { outcome: 'cancelled' };
        }
        await this.transport.send({ ...mail, messageId: reminderMessageId(row.id) });
      } catch (error) {
        return await this.sendFailed(row, jobId, claimed[0].attempts, error, finalAttempt);
      }
      // Accepted by the SMTP server: from here on the mail is sent, whatever the database says.
      const nextClaim = await this.markSent(row.id, mail, nextId === null ? null : { id: nextId, jobId });
      // What each gathered row said, for the send log and the in-app list; the mail itself is sent whatever happens here.
      if ('parts' in mail)
        await this.daily.markParts(mail as DailyMail).catch((error: Error) => this.logger.warn(`daily mail ${row.id} parts: ${error.message}`));
      return { outcome: 'sent', nextClaim };
    } finally {
      lease.stop();
    }
  }

  /** A send that did not reach the server's 250: failed for good, or back to the queue for the job's retry. */
  private async sendFailed(row: ReminderMailRow, jobId: string, attempt: number, error: unknown, finalAttempt: boolean) {
    // A 5xx or a person without an address will not change on retry; anything else may.
    const permanent = error instanceof PermanentMailError || isPermanentSmtpError(error);
    const message = ((error as Error).message ?? String(error)).slice(0, 2000);
    const failed = permanent || finalAttempt;
    await this.dataSource.query(`UPDATE reminder_mails SET status = $3, last_error = $4 WHERE id = $1 AND status = 'sending' AND job_id = $2`, [
      row.id,
      jobId,
      failed ? 'failed' : 'enqueued',
      message,
    ]);
    this.logger.warn(`reminder mail ${row.id} attempt ${attempt}: ${message}`);
    return { outcome: failed ? ('failed' as const) : ('retry' as const), error: message };
  }

  /**
   * Marks an accepted mail sent, retrying with backoff (100 ms doubling to 5 s) until the
   * database takes it or the process stops: a failed UPDATE here is no send failure. On the
   * first failure the acceptance is also noted in Redis (OutboxRedisService), so that if
   * this process dies before the database is back the sweeper marks the row sent instead of
   * giving it to another job. Unconditional on the row's status: whoever holds it, it is sent.
   */
  private async markSent(id: string, mail: ComposedMail, next: { id: string; jobId: string } | null = null): Promise<Claim> {
    const messageId = reminderMessageId(id);
    let noted = false;
    for (let attempt = 0, wait = MARK_SENT_FIRST_RETRY_MS; ; attempt++, wait = Math.min(wait * 2, MARK_SENT_MAX_RETRY_MS)) {
      try {
        const params = [id, mail.subject, messageId, mail.entryIds, mail.ccUserIds];
        const markSql = `UPDATE reminder_mails SET status = 'sent', sent_at = now(), subject = $2, message_id = $3, entry_ids = $4,
                  cc_user_ids = $5, last_error = NULL WHERE id = $1`;
        // The first try also claims the job's next row, as sendRow would just after (one round trip per mail
        // instead of two); the statement does both or neither, and a retry only marks this one.
        if (next && attempt === 0) {
          const [row]: { attempts: number | null }[] = await this.dataSource.query(
            `WITH sent AS (${markSql} RETURNING id),
                  claim AS (UPDATE reminder_mails SET status = 'sending', claimed_at = now(), job_id = $7, attempts = attempts + 1
                             WHERE id = $6 AND ${CLAIMABLE} RETURNING attempts)
             SELECT (SELECT attempts FROM claim) AS attempts, (SELECT count(*) FROM sent) AS sent`,
            [...params, next.id, next.jobId],
          );
          return row.attempts === null ? 'taken' : { attempts: row.attempts };
        }
        await this.dataSource.query(markSql, params);
        if (noted) await this.redis.forgetAccepted([id]).catch(() => undefined);
        if (attempt > 0) this.logger.log(`reminder mail ${id} marked sent after ${attempt + 1} tries`);
        return null;
      } catch (error) {
        if (!noted) {
          this.logger.warn(`reminder mail ${id} accepted by the SMTP server, not yet marked sent: ${(error as Error).message}`);
          noted = await this.redis.rememberAccepted(id, {
            at: new Date().toISOString(),
            subject: mail.subject,
            messageId,
            entryIds: mail.entryIds,
            ccUserIds: mail.ccUserIds,
          });
        }
        if (this.stopping) {
          this.logger.error(`reminder mail ${id} accepted but not marked sent at shutdown${noted ? ' (noted in Redis)' : ''}`);
          return null;
        }
        await sleep(wait);
      }
    }
  }

  /** Renews the row's lease while it is on the wire, as long as it is this job's. */
  private keepLease(id: string, jobId: string): { stop: () => void } {
    const every = Math.max(1, this.config.REMINDER_SEND_LEASE_SECONDS / 3) * 1000;
    const timer = setInterval(() => {
      this.dataSource
        .query(`UPDATE reminder_mails SET claimed_at = now() WHERE id = $1 AND status = 'sending' AND job_id = $2`, [id, jobId])
        .catch((error: Error) => this.logger.warn(`lease of reminder mail ${id} not renewed: ${error.message}`));
    }, every);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
}
