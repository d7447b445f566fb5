import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@app/config';

/** What a bench gets: fresh databases, Redis prefixes and workers, all removed after it. */
export interface Harness {
  runs: number;
  /** A fresh database and Redis prefix (settings as the bench's worker or api child uses them). */
  database(overrides?: Record<string, string>): Promise<AppConfig>;
  /** The worker (WorkerModule) in this process, on a fresh database and Redis prefix. */
  worker(overrides?: Record<string, string>): Promise<{ app: INestApplicationContext; config: AppConfig }>;
  /** Runs after the bench, last registered first, before the databases are dropped. */
  cleanup(fn: () => Promise<unknown> | unknown): void;
}
