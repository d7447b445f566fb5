import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { JobsOptions } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { MAIL_QUEUED, slotKey } from '@app/domain';
import type { ReminderKind } from '@app/domain';
import { addJobs, JobName, QueueName } from '@app/queue';
import { OutboxRedisService } from './outbox-redis.service';
import { PendingWorkService } from './pending-work.service';
import { NoticeOutboxService } from './notices/notice-outbox.service';
import { DailyMailService } from './daily/daily-mail.service';
import type { ReminderAudience } from './reminder-plan';

const SLOT_BATCH = 20;
const MAIL_BATCH = 200;
/** BullMQ's reason for a job whose worker died more often than maxStalledCount allows: it says nothing about the mails. */
const STALLED = /stalled more than allowable limit/;
/**
 * Mails one send job carries. The sender composes a job's digests together, so a bigger job
 * means fewer queries and queue round trips per mail; a smaller one, less to redo when a job
 * is retried (its sent rows are skipped, but they are read again).
 */
export const MAILS_PER_JOB = 25;

/** BullMQ priority of a tenant's first send job (any priority runs after the unprioritized housekeeping jobs). */
const SEND_PRIORITY = 10;
/** BullMQ's highest priority value (2^21 − 1): ranks beyond it share it (over 50 million mails queued for one tenant). */
const LOWEST_PRIORITY = 2 ** 21 - 1;

/**
 * The BullMQ priority of the `index`-th new send job of a tenant that has `queued` mails already
 * queued or on the wire: its rank in that tenant's own queue. BullMQ takes the lowest priority
 * first (FIFO among equals), so every tenant's k-th job goes before any tenant's (k+1)-th: the
 * send jobs of all tenants with due mail are taken round-robin, and a municipality's 10 mails
 * wait behind one job of another's 10,000, not all of them.
 */
export function sendPriority(queued: number, index: number): number {
  return Math.min(SEND_PRIORITY + Math.floor(queued / MAILS_PER_JOB) + index, LOWEST_PRIORITY);
}

/** What one relay round did; `more`: a batch was full, so another round has work. */
export interface RelayRound {
  slots: number;
  mails: number;
  enqueued: number;
  more: boolean;
}

interface DueSlot {
  id: string;
  cycleId: number;
  audience: ReminderAudience;
  kind: ReminderKind;
  deadline: string;
  sendAt: Date;
}

interface SendJob {
  jobId: string;
  mailIds: string[];
  /** BullMQ priority (sendPriority); SEND_PRIORITY when not given. */
  priority?: number;
}

/** The rows' ids in jobs of MAILS_PER_JOB, each named by `name(first, last)`. */
function inJobs(ids: string[], name: (first: string, last: string) => string): SendJob[] {
  const jobs: SendJob[] = [];
  for (let i = 0; i < ids.length; i += MAILS_PER_JOB) {
    const mailIds = ids.slice(i, i + MAILS_PER_JOB);
    jobs.push({ jobId: name(mailIds[0], mailIds[mailIds.length - 1]), mailIds });
  }
  return jobs;
}

/**
 * Moves the outbox forward. Every step claims rows with FOR UPDATE SKIP LOCKED inside one
 * transaction and is safe to repeat: a crash between adding jobs and committing leaves the
 * rows pending, the next run adds them again under the same jobId, and the sender's
 * conditional claim makes a second job for one row a no-op.
 */
@Injectable()
export class ReminderRelayService {
  private readonly logger = new Logger(ReminderRelayService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly pending: PendingWorkService,
    private readonly redis: OutboxRedisService,
    private readonly notices: NoticeOutboxService,
    private readonly daily: DailyMailService,
    @InjectQueue(QueueName.Reminders) private readonly queue: Queue,
  ) {}

  /** Fans due slots out into mail rows, then queues the due mail rows, until none is left (the current tenant's). */
  async relay(): Promise<{ slots: number; mails: number; enqueued: number }> {
    const total = { slots: 0, mails: 0, enqueued: 0 };
    for (;;) {
      const round = await this.relayRound();
      total.slots += round.slots;
      total.mails += round.mails;
      total.enqueued += round.enqueued;
      if (!round.more) break;
    }
    if (total.slots || total.enqueued) this.logger.log(`relay ${JSON.stringify(total)}`);
    return total;
  }

  /**
   * One bounded step of the relay (the current tenant's): one batch of due slots fanned out, or,
   * once none is left, the daily bundling and one batch of due mails queued (the order of a whole
   * run: every due slot fanned out before rows are bundled or queued). A job for every tenant
   * (TENANCY=multi) runs the rounds of all tenants in turn (TenantsService.runInTurns), so one
   * municipality's 10,000 mails do not keep the next municipality's relay waiting.
   */
  async relayRound(): Promise<RelayRound> {
    const { slots, mails } = await this.fanOutBatch();
    let enqueued = 0;
    if (slots < SLOT_BATCH) {
      // Rows of users who chose one mail a day go into their daily mail instead of the queue.
      while ((await this.daily.bundle()) > 0);
      enqueued = await this.enqueueBatch();
    }
    return { slots, mails, enqueued, more: slots >= SLOT_BATCH || enqueued >= MAIL_BATCH };
  }

  private fanOutBatch(): Promise<{ slots: number; mails: number }> {
    return this.dataSource.transaction(async (em) => {
      const slots: DueSlot[] = await em.query(
        `SELECT id, cycle_id AS "cycleId", audience, kind, to_char(deadline, 'YYYY-MM-DD') AS deadline, send_at AS "sendAt" FROM reminder_slots
          WHERE status = 'pending' AND send_at <= now()
          ORDER BY send_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [SLOT_BATCH],
      );
      let mails = 0;
      for (const slot of slots) mails += await this.fanOut(em, slot);
      return { slots: slots.length, mails };
    });
  }

  /**
   * One digest row per person and send time, across all cycles (the unique key merges them):
   * whoever must act on the slot's entries (for review, the entries counting from its deadline)
   * and, once overdue, their department heads (their digest lists their sections' overdue work).
   */
  private async fanOut(em: EntityManager, slot: DueSlot) {
    const deadline = slot.audience === 'review' ? slot.deadline : undefined;
    const acting = await this.pending.byUser(em, slot.audience, [slot.cycleId], undefined, deadline);
    const heads = slot.kind === 'overdue' ? await this.pending.escalations(em, slot.audience, [slot.cycleId], undefined, deadline) : new Map();
    const recipients = [...new Set([...acting.keys(), ...heads.keys()])];
    const inserted = recipients.length
      ? await em.query(
          `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at)
           SELECT r, 'digest', $2, $3 FROM unnest($1::int[]) AS r
           ON CONFLICT (recipient_user_id, kind, slot_key) DO NOTHING RETURNING id`,
          [recipients, slotKey(slot.sendAt), slot.sendAt],
        )
      : [];
    await em.query(`UPDATE reminder_slots SET status = 'fanned_out', fanned_out_at = now() WHERE id = $1`, [slot.id]);
    // A post may have fallen vacant since entries started waiting there: planning hears of it at the send hour (once per entry and state).
    await this.notices.escalateStuck(em, slot.cycleId);
    return inserted.length;
  }

  private enqueueBatch(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows: { id: string }[] = await em.query(
        `SELECT id FROM reminder_mails WHERE status = 'pending' AND send_at <= now()
          ORDER BY send_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [MAIL_BATCH],
      );
      if (rows.length === 0) return 0;
      // This tenant's mails already queued (row-level security: only its own rows are counted) rank its new jobs behind them.
      const [{ queued }]: { queued: number }[] = await em.query(`SELECT count(*)::int AS queued FROM reminder_mails WHERE status = ANY($1)`, [MAIL_QUEUED]);
      const jobs = inJobs(
        rows.map((r) => r.id),
        (first, last) => `mails-${first}-${last}`,
      ).map((job, i) => ({ ...job, priority: sendPriority(queued, i) }));
      await this.addJobs(jobs);
      await this.setJobIds(em, jobs);
      return rows.length;
    });
  }

  /**
   * Gives back to the queue what would otherwise be stuck: the mail a dead sender had on the
   * wire (claim older than the lease, its job no longer running) and queued mails whose job
   * is gone from Redis or died with its worker. A job counts as running while it is active
   * and holds its BullMQ lock, which its worker renews through Redis every 15 s (so a sender
   * waiting for the database to come back keeps its mail). A leased-out mail the SMTP server
   * had accepted (noted in Redis by the sender) is marked sent, not sent again.
   */
  async sweep(): Promise<{ released: number; markedSent: number; requeued: number; failed: number }> {
    const leased: { id: string; jobId: string | null }[] = await this.dataSource.query(
      `SELECT id, job_id AS "jobId" FROM reminder_mails
        WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => $1) ORDER BY id`,
      [this.config.REMINDER_SEND_LEASE_SECONDS],
    );
    const queued: { id: string; jobId: string | null; attempts: number }[] = await this.dataSource.query(
      `SELECT id, job_id AS "jobId", attempts FROM reminder_mails WHERE status = 'enqueued' ORDER BY id`,
    );
    const states = await this.jobStates([...leased, ...queued].map((r) => r.jobId));
    const stateOf = (jobId: string | null) => (jobId && states.get(jobId)) || { state: 'missing', reason: '', running: false };

    const orphaned = leased.filter((r) => !stateOf(r.jobId).running).map((r) => r.id);
    const notes = await this.redis.findAccepted(orphaned);
    let markedSent = 0;
    for (const [id, note] of notes) {
      const [, count]: [unknown[], number] = await this.dataSource.query(
        `UPDATE reminder_mails SET status = 'sent', sent_at = $2, subject = $3, message_id = $4, entry_ids = $5, cc_user_ids = $6, last_error = NULL
          WHERE id = $1 AND status = 'sending'`,
        [id, note.at, note.subject, note.messageId, note.entryIds, note.ccUserIds],
      );
      markedSent += count;
    }
    await this.redis.forgetAccepted([...notes.keys()]);
    // TypeORM answers an UPDATE with [rows, rowCount]. The lease is checked again: a heartbeat may have come in since.
    const [released]: [{ id: string; jobId: string }[], number] = await this.dataSource.query(
      `UPDATE reminder_mails SET status = 'enqueued', job_id = 'mail-' || id || '-lease' || attempts
        WHERE id = ANY($1) AND status = 'sending' AND claimed_at < now() - make_interval(secs => $2)
        RETURNING id, job_id AS "jobId"`,
      [orphaned.filter((id) => !notes.has(id)), this.config.REMINDER_SEND_LEASE_SECONDS],
    );
    // A fresh jobId: the dead worker's job may still sit in Redis as active until BullMQ sees it stalled.
    if (released.length) await this.addJobs(released.map((r) => ({ mailIds: [r.id], jobId: r.jobId })));

    const lost: string[] = [];
    let failed = 0;
    for (const row of queued) {
      const { state, reason, running } = stateOf(row.jobId);
      // A job that failed before it claimed a row (it stalled twice: its worker died) never tried that mail.
      const diedWithWorker = (state === 'active' && !running) || (state === 'failed' && (row.attempts === 0 || STALLED.test(reason)));
      if (state === 'missing' || state === 'unknown' || state === 'completed' || diedWithWorker) {
        lost.push(row.id);
      } else if (state === 'failed') {
        failed += await this.markFailed(row.id, reason || 'ジョブが失敗しました');
      }
    }
    if (lost.length) {
      // Fresh job ids: the old job may still exist (completed, failed, active for a dead worker) under its own.
      // Rows are claimed one by one, so if the old job runs again as well, each mail still goes once.
      const stamp = Date.now().toString(36);
      const jobs = inJobs(lost, (first, last) => `mails-${first}-${last}-sweep-${stamp}`);
      await this.addJobs(jobs);
      await this.setJobIds(this.dataSource.manager, jobs, true);
    }
    const result = { released: released.length, markedSent, requeued: lost.length, failed };
    if (result.released || result.markedSent || result.requeued || result.failed) this.logger.warn(`sweep ${JSON.stringify(result)}`);
    return result;
  }

  /**
   * The state of each job, looked up once per job (rows of one job share it); `running`: active
   * and its lock held, i.e. a live worker has it (the lock key is BullMQ's `<job key>:lock`).
   */
  private async jobStates(ids: (string | null)[]): Promise<Map<string, { state: string; reason: string; running: boolean }>> {
    const jobIds = [...new Set(ids.filter((id): id is string => id !== null))];
    const states = new Map<string, { state: string; reason: string; running: boolean }>();
    for (let i = 0; i < jobIds.length; i += 100) {
      const chunk = jobIds.slice(i, i + 100);
      const found = await Promise.all(
        chunk.map(async (jobId) => {
          const job = await this.queue.getJob(jobId);
          if (!job) return { state: 'missing', reason: '', running: false };
          const state = await job.getState();
          const running = state === 'active' && (await this.redis.isLocked(this.queue.toKey(jobId)));
          return { state, reason: job.failedReason ?? '', running };
        }),
      );
      chunk.forEach((jobId, k) => states.set(jobId, found[k]));
    }
    return states;
  }

  private async markFailed(id: string, error: string): Promise<number> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE reminder_mails SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'enqueued'`,
      [id, error],
    );
    return count;
  }

  private async addJobs(jobs: SendJob[]): Promise<void> {
    await addJobs(
      this.queue,
      JobName.SendReminderDigest,
      jobs.map((j) => ({ data: { mailIds: j.mailIds }, opts: this.jobOptions(j.jobId, j.priority) })),
    );
  }

  /** Marks the rows as queued under their job (`requeue`: rows already 'enqueued', given a new job). */
  private async setJobIds(em: EntityManager, jobs: SendJob[], requeue = false): Promise<void> {
    const ids = jobs.flatMap((j) => j.mailIds);
    const jobIds = jobs.flatMap((j) => j.mailIds.map(() => j.jobId));
    await em.query(
      `UPDATE reminder_mails m SET status = 'enqueued', enqueued_at = now(), job_id = x.job_id
         FROM unnest($1::bigint[], $2::text[]) AS x(id, job_id)
        WHERE m.id = x.id AND m.status = $3`,
      [ids, jobIds, requeue ? 'enqueued' : 'pending'],
    );
  }

  private jobOptions(jobId: string, priority = SEND_PRIORITY): JobsOptions {
    return {
      jobId,
      // Prioritized jobs wait behind plain ones: the relay's and the sweeper's runs (no priority)
      // never queue behind a backlog of thousands of mails, so a stranded mail is not kept waiting.
      // Among send jobs, a tenant's rank in its own queue (sendPriority); the sweeper's go first.
      priority,
      attempts: this.config.REMINDER_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.REMINDER_RETRY_DELAY_MS },
      removeOnComplete: true,
      removeOnFail: { age: 14 * 24 * 3600, count: 5000 },
    };
  }
}
