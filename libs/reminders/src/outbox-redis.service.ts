import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { createRedisClient, type RedisClient } from '@app/queue';

/** What the sender knew when the SMTP server accepted a mail it could not mark sent. */
export interface AcceptedMail {
  at: string;
  subject: string;
  messageId: string;
  entryIds: number[];
  ccUserIds: number[];
}

/** Long enough for any sweep to see it; a mail's row never waits that long for one. */
const KEEP_SECONDS = 14 * 24 * 3600;

/**
 * The outbox's own reads and writes in Redis, beside the queue:
 * - a note that the SMTP server accepted a mail whose row is not marked sent yet, written at
 *   each acceptance (the sender marks its rows sent a few at a time) and dropped once the row is
 *   marked. The sweeper reads it before it gives a leased-out row to another job: a worker that
 *   dies before its rows are marked (or while the database is unreachable) leaves the note
 *   behind, and the mail is marked sent instead of being sent again;
 * - whether a BullMQ job's lock is held, i.e. a live worker runs it (BullMQ has no public call
 *   for it; the key is `<prefix>:<queue>:<jobId>:lock`, renewed by the worker every 15 s).
 * One connection of its own that fails fast (2 s) instead of queueing while Redis is down.
 */
@Injectable()
export class OutboxRedisService implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxRedisService.name);
  private readonly redis: RedisClient;

  constructor(private readonly config: AppConfig) {
    this.redis = createRedisClient(config, { maxRetriesPerRequest: 1, commandTimeout: 2000, lazyConnect: true });
    this.redis.on('error', () => undefined);
  }

  private acceptedKey(mailId: string): string {
    return `${this.config.QUEUE_PREFIX}:reminders:accepted:${mailId}`;
  }

  /** Notes the acceptance; resolves false (never throws) when Redis did not take it. */
  async rememberAccepted(mailId: string, mail: AcceptedMail): Promise<boolean> {
    try {
      await this.redis.set(this.acceptedKey(mailId), JSON.stringify(mail), 'EX', KEEP_SECONDS);
      return true;
    } catch (error) {
      this.logger.warn(`accepted mail ${mailId} not noted in Redis: ${(error as Error).message}`);
      return false;
    }
  }

  /** The notes of the given rows, by row id. */
  async findAccepted(mailIds: string[]): Promise<Map<string, AcceptedMail>> {
    if (mailIds.length === 0) return new Map();
    const values = await this.redis.mget(...mailIds.map((id) => this.acceptedKey(id)));
    const found = new Map<string, AcceptedMail>();
    mailIds.forEach((id, i) => {
      if (values[i]) found.set(id, JSON.parse(values[i]!) as AcceptedMail);
    });
    return found;
  }

  async forgetAccepted(mailIds: string[]): Promise<void> {
    if (mailIds.length) await this.redis.del(...mailIds.map((id) => this.acceptedKey(id)));
  }

  /** Whether a job is locked by a worker (`jobKey`: its Queue.toKey(jobId)). */
  async isLocked(jobKey: string): Promise<boolean> {
    return (await this.redis.exists(`${jobKey}:lock`)) === 1;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
