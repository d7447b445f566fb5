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

/** The rows of a chunk this job claimed: row id -> its attempts, this one included. */
type Claims = Map<string, number>;

/** A mail the SMTP server accepted, to be marked sent with the rest of its chunk. */
interface Accepted {
  id: string;
  mail: ComposedMail;
}

/** What one send job did with each of its rows. */
export type BatchOutcome = Record<SendOutcome, number>;

/** A send attempt that failed for a reason that may pass (connection refused, timeout, 4xx). */
export class TransientSendError extends Error {}

const CLAIMABLE = `status IN (${sqlWords(MAIL_CLAIMABLE)})`;

/**
 * Rows claimed together, and marked sent together by the statement that claims the next ones:
 * one statement per this many mails, not one per mail. Until its chunk is marked, each accepted
 * mail is noted in Redis (OutboxRedisService), so a worker that dies meanwhile leaves notes the
 * sweeper marks sent instead of sending those mails again. A dead worker's claimed rows it never
 * reached (at most this many less one) go back to the queue when their lease runs out.
 */
const CLAIM_CHUNK = 5;

/** First and longest wait between tries to mark an accepted mail sent. */
const MARK_SENT_FIRST_RETRY_MS = 100;
const MARK_SENT_MAX_RETRY_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the reminder mail rows of one job, one after the other. The job composes the digests
 * of its rows together (a few queries for all, not per mail), then claims its rows a few at a
 * time (CLAIM_CHUNK) just before their sends, so a worker that dies strands only those; the
 * rows it never reached stay queued for whichever job gets them first. While rows are claimed
 * their lease is renewed every third of REMINDER_SEND_LEASE_SECONDS, so a slow but live sender
 * keeps them. Once the SMTP server has accepted a mail it is noted in Redis, and its chunk is
 * marked sent, retried until the database takes it: the mail is never sent again by this
 * worker. The content is computed at send time, so what was done since the row was planned is
 * not nagged about; failures are written on the row (visible in the API), never dropped.
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
    // Read, not claimed: the rows are claimed a chunk at a time, just before their sends (claim, markSent).
    const rows: ReminderMailRow[] = await this.dataSource.query(`SELECT ${mailColumns()} FROM reminder_mails WHERE id = ANY($1) AND ${CLAIMABLE} ORDER BY id`, [
      mailIds,
    ]);
    outcome.already_handled = mailIds.length - rows.length;
    const digests = await this.composeDigests(rows);
    let lastError = '';
    const chunks: ReminderMailRow[][] = [];
    for (let i = 0; i < rows.length; i += CLAIM_CHUNK) chunks.push(rows.slice(i, i + CLAIM_CHUNK));
    // The first chunk's claims; each later chunk's come with the statement that marks the one before it sent.
    let claims: Claims = chunks.length ? await this.claim(chunks[0], jobId) : new Map();
    for (const [i, chunk] of chunks.entries()) {
      const accepted: Accepted[] = [];
      const lease = this.keepLease([...claims.keys()], jobId);
      try {
        for (const row of chunk) {
          const attempts = claims.get(row.id);
          // Another job (a copy the sweeper queued, a retry) took it meanwhile.
          if (attempts === undefined) {
            outcome.already_handled += 1;
            continue;
          }
          const result = await this.sendRow(row, jobId, digests, finalAttempt, attempts);
          if (result.accepted) accepted.push(result.accepted);
          outcome[result.outcome] += 1;
          if (result.error) lastError = result.error;
        }
        claims = await this.markSent(accepted, { rows: chunks[i + 1] ?? [], jobId });
      } finally {
        lease.stop();
      }
      await this.afterSent(accepted);
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

  /** Claims the rows still to send for this job. */
  private async claim(rows: ReminderMailRow[], jobId: string): Promise<Claims> {
    if (!rows.length) return new Map();
    const [claimed]: [{ id: string; attempts: number }[], number] = await this.dataSource.query(
      `UPDATE reminder_mails SET status = 'sending', claimed_at = now(), job_id = $2, attempts = attempts + 1
        WHERE id = ANY($1::bigint[]) AND ${CLAIMABLE} RETURNING id::text AS id, attempts`,
      [rows.map((r) => r.id), jobId],
    );
    return new Map(claimed.map((c) => [c.id, c.attempts]));
  }

  /**
   * Sends one claimed row (its `attempts` with this one). An accepted mail is noted in Redis and
   * handed back to be marked sent with its chunk; where Redis did not take the note, it is
   * marked sent at once instead.
   */
  private async sendRow(
    row: ReminderMailRow,
    jobId: string,
    digests: Map<string, ComposedMail | PermanentMailError | null>,
    finalAttempt: boolean,
    attempts: number,
  ): Promise<{ outcome: SendOutcome; error?: string; accepted?: Accepted }> {
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
      return await this.sendFailed(row, jobId, attempts, error, finalAttempt);
    }
    // Accepted by the SMTP server: from here on the mail is sent, whatever the database says.
    const accepted = { id: row.id, mail };
    if (!(await this.redis.rememberAccepted(row.id, this.acceptedNote(accepted)))) {
      await this.markSent([accepted], null, false);
      await this.afterSent([accepted]);
      return { outcome: 'sent' };
    }
    return { outcome: 'sent', accepted };
  }

  /** What each gathered row of a daily mail said, for the send log and the in-app list; the mails themselves are sent whatever happens here. */
  private async afterSent(accepted: Accepted[]): Promise<void> {
    for (const { id, mail } of accepted) {
      if ('parts' in mail) await this.daily.markParts(mail as DailyMail).catch((error: Error) => this.logger.warn(`daily mail ${id} parts: ${error.message}`));
    }
  }

  private acceptedNote({ id, mail }: Accepted) {
    return { at: new Date().toISOString(), subject: mail.subject, messageId: reminderMessageId(id), entryIds: mail.entryIds, ccUserIds: mail.ccUserIds };
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
   * Marks accepted mails sent, retrying with backoff (100 ms doubling to 5 s) until the database
   * takes it or the process stops: a failed UPDATE here is no send failure. Each mail's note in
   * Redis (written at its acceptance, or here on the first failure when `noted` is false) lets
   * the sweeper mark the row sent instead of giving it to another job if this process dies
   * before the database is back. Unconditional on the rows' status: whoever holds them, they
   * are sent. The first try also claims `next` (the job's next chunk), in the same statement;
   * after a failed try the next chunk is claimed on its own. Resolves to the claims of `next`.
   */
  private async markSent(accepted: Accepted[], next: { rows: ReminderMailRow[]; jobId: string } | null, noted = true): Promise<Claims> {
    if (!accepted.length) return next ? this.claim(next.rows, next.jobId) : new Map();
    const ids = accepted.map((a) => a.id);
    // Each row as its Redis note says it (acceptedNote), with its id.
    const sent = JSON.stringify(accepted.map((a) => ({ id: a.id, ...this.acceptedNote(a) })));
    // The ids again as an array ($2): the planner takes the rows by their key, not by a scan for the set function's rows.
    const markSql = `UPDATE reminder_mails m SET status = 'sent', sent_at = now(), subject = x.subject, message_id = x."messageId",
              entry_ids = x."entryIds", cc_user_ids = x."ccUserIds", last_error = NULL
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, subject text, "messageId" text, "entryIds" int[], "ccUserIds" int[])
        WHERE m.id = x.id AND m.id = ANY($2::bigint[])`;
    for (let attempt = 0, wait = MARK_SENT_FIRST_RETRY_MS; ; attempt++, wait = Math.min(wait * 2, MARK_SENT_MAX_RETRY_MS)) {
      try {
        let claims: Claims | null = null;
        if (next?.rows.length && attempt === 0) {
          // Both or neither: the claims only stand if the marks do.
          const [row]: { claims: { id: string; attempts: number }[] }[] = await this.dataSource.query(
            `WITH sent AS (${markSql} RETURNING m.id),
                  claim AS (UPDATE reminder_mails SET status = 'sending', claimed_at = now(), job_id = $4, attempts = attempts + 1
                             WHERE id = ANY($3::bigint[]) AND ${CLAIMABLE} RETURNING id, attempts)
             SELECT (SELECT count(*) FROM sent) AS sent,
                    (SELECT COALESCE(json_agg(json_build_object('id', id::text, 'attempts', attempts)), '[]') FROM claim) AS claims`,
            [sent, ids, next.rows.map((r) => r.id), next.jobId],
          );
          claims = new Map(row.claims.map((c) => [c.id, c.attempts]));
        } else {
          await this.dataSource.query(markSql, [sent, ids]);
        }
        if (noted) await this.redis.forgetAccepted(ids).catch(() => undefined);
        if (attempt > 0) this.logger.log(`reminder mails ${ids.join(', ')} marked sent after ${attempt + 1} tries`);
        return claims ?? (next ? await this.claim(next.rows, next.jobId) : new Map());
      } catch (error) {
        if (!noted) {
          this.logger.warn(`reminder mails ${ids.join(', ')} accepted by the SMTP server, not yet marked sent: ${(error as Error).message}`);
          noted = (await Promise.all(accepted.map((a) => this.redis.rememberAccepted(a.id, this.acceptedNote(a))))).every(Boolean);
        }
        if (this.stopping) {
          this.logger.error(`reminder mails ${ids.join(', ')} accepted but not marked sent at shutdown${noted ? ' (noted in Redis)' : ''}`);
          return new Map();
        }
        await sleep(wait);
      }
    }
  }

  /** Renews the rows' lease while they are claimed, as long as they are this job's. */
  private keepLease(ids: string[], jobId: string): { stop: () => void } {
    const every = Math.max(1, this.config.REMINDER_SEND_LEASE_SECONDS / 3) * 1000;
    const timer = setInterval(() => {
      this.dataSource
        .query(`UPDATE reminder_mails SET claimed_at = now() WHERE id = ANY($1::bigint[]) AND status = 'sending' AND job_id = $2`, [ids, jobId])
        .catch((error: Error) => this.logger.warn(`lease of reminder mails ${ids.join(', ')} not renewed: ${error.message}`));
    }, every);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
}
