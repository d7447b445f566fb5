import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import type { SmtpSink } from '../test/utils/smtp-sink';

/** What a bench gets: fresh databases, Redis prefixes and workers, all removed after it. */
export interface Harness {
  runs: number;
  /** A fresh database and Redis prefix (settings as the bench's worker or api child uses them). */
  database(overrides?: Record<string, string>): Promise<AppConfig>;
  /** The worker (WorkerModule) in this process, on a fresh database and Redis prefix. */
  worker(overrides?: Record<string, string>): Promise<{ app: INestApplicationContext; config: AppConfig }>;
  /**
   * A worker that mails to an in-process SMTP sink, with the scheduled relay and sweep pushed
   * out of the way (an hour apart), so only the relay jobs the bench adds itself move mail.
   */
  mailingWorker(): Promise<{ app: INestApplicationContext; config: AppConfig; sink: SmtpSink }>;
  /** Runs after the bench, last registered first, before the databases are dropped. */
  cleanup(fn: () => Promise<unknown> | unknown): void;
}
