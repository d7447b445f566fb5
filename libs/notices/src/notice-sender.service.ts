import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isPermanentSmtpError, MailTransportService } from '@app/reminders/mail-transport.service';

/** Notices one relay run sends at most; the rest wait for the next run. */
const BATCH = 50;
/** Sends before a notice is given up (marked failed); a transient failure waits for the next run. */
export const NOTICE_MAX_ATTEMPTS = 6;
/** A notice claimed longer ago than this belongs to a worker that died mid-send. Well above the SMTP timeouts. */
const LEASE = `interval '10 minutes'`;

export interface NoticeRelayOutcome {
  sent: number;
  failed: number;
  retry: number;
}

interface NoticeRow {
  id: string;
  toAddress: string;
  subject: string;
  body: string;
  attempts: number;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Sends the pending rows of notice_mails (run by the worker's relay-notices job). Rows are
 * claimed with SKIP LOCKED, so two workers never send one notice; the row, not the job, says
 * what is done, so a repeated run sends nothing twice. A 5xx or the last attempt marks the
 * row failed with the error; other errors leave it pending for the next run.
 */
@Injectable()
export class NoticeSenderService {
  private readonly logger = new Logger(NoticeSenderService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransportService,
  ) {}

  async relay(): Promise<NoticeRelayOutcome> {
    const outcome: NoticeRelayOutcome = { sent: 0, failed: 0, retry: 0 };
    await this.dataSource.query(`UPDATE notice_mails SET status = 'pending' WHERE status = 'sending' AND claimed_at < now() - ${LEASE}`);
    const [rows]: [NoticeRow[], number] = await this.dataSource.query(
      `UPDATE notice_mails SET status = 'sending', claimed_at = now(), attempts = attempts + 1
        WHERE id IN (SELECT id FROM notice_mails WHERE status = 'pending' ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING id, to_address AS "toAddress", subject, body, attempts`,
    );
    for (const row of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
      try {
        await this.transport.send({
          to: row.toAddress,
          cc: [],
          subject: row.subject,
          text: row.body,
          html: `<div style="white-space: pre-wrap">${escapeHtml(row.body)}</div>`,
          messageId: `<notice-${row.id}@hyoka>`,
        });
        await this.dataSource.query(`UPDATE notice_mails SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`, [row.id]);
        outcome.sent++;
      } catch (error) {
        const message = ((error as Error).message ?? String(error)).slice(0, 2000);
        const failed = isPermanentSmtpError(error) || row.attempts >= NOTICE_MAX_ATTEMPTS;
        await this.dataSource.query(`UPDATE notice_mails SET status = $2, last_error = $3 WHERE id = $1`, [row.id, failed ? 'failed' : 'pending', message]);
        this.logger.warn(`notice mail ${row.id} attempt ${row.attempts}: ${message}`);
        outcome[failed ? 'failed' : 'retry']++;
      }
    }
    return outcome;
  }
}
