import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { InjectQueue } from '@nestjs/bullmq';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { createRedisClient, isStuck, QueueName, readQueueProgress, type RedisClient } from '@app/queue';

/**
 * Each check gives up after this long, and they run side by side, so /health answers within
 * about this bound whatever state Redis is in (down, or frozen: connected but never answering).
 * Redis answers a healthy check in a millisecond; a second leaves room for a busy host and keeps
 * the whole answer under the 2 s a load balancer's probe is commonly given. The database gets
 * longer: its ping may wait for a pooled connection at a peak, which is not an outage.
 */
export const REDIS_CHECK_TIMEOUT_MS = 1000;
export const DATABASE_CHECK_TIMEOUT_MS = 1500;

export function withTimeout<T>(work: Promise<T>, ms: number, what = 'Redis'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${what} within ${ms} ms`)), ms);
  });
  // The work may still fail after the timeout won: that rejection is expected, not unhandled.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Redis reachability, its eviction policy, and the job counts of each queue. */
@Injectable()
export class QueueHealthIndicator implements OnModuleDestroy {
  private readonly queues: Queue[];
  private readonly redisClient: RedisClient;

  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(QueueName.Cycles) cycles: Queue,
    @InjectQueue(QueueName.Reminders) reminders: Queue,
    @InjectQueue(QueueName.Personnel) personnel: Queue,
    private readonly config: AppConfig,
  ) {
    this.queues = [cycles, reminders, personnel];
    // commandTimeout: a frozen Redis (SIGSTOP, a stalled host) keeps the connection open and
    // never answers; without it the check waited for the whole freeze.
    this.redisClient = createRedisClient(config, { maxRetriesPerRequest: 1, lazyConnect: true, commandTimeout: REDIS_CHECK_TIMEOUT_MS });
    this.redisClient.on('error', () => undefined); // reported by the check itself
  }

  onModuleDestroy(): void {
    this.redisClient.disconnect();
  }

  async redis(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      const [, policy] = (await withTimeout(this.redisClient.config('GET', 'maxmemory-policy'), REDIS_CHECK_TIMEOUT_MS)) as [string, string];
      if (policy !== 'noeviction') {
        return indicator.down({ maxmemoryPolicy: policy, message: 'maxmemory-policy must be noeviction' });
      }
      return indicator.up({ maxmemoryPolicy: policy });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  /**
   * Job counts of each queue and the workers connected to it. No worker does not make the api
   * unhealthy (it still serves every request), but nothing is opened or mailed meanwhile:
   * `workersMissing` names those queues for monitoring to alert on. A queue that has workers
   * and is stuck (jobs due for longer than QUEUE_STUCK_SECONDS, none finished meanwhile: a
   * worker connected but getting nothing) is down: 503, `stuck` naming it.
   */
  async queueCounts(key = 'queues') {
    const indicator = this.health.check(key);
    try {
      const counts: Record<string, Record<string, number>> = {};
      const workersMissing: string[] = [];
      const stuck: string[] = [];
      const now = Date.now();
      // A queue that never reached Redis waits for its first connection before any command,
      // whatever its offline-queue setting, and a frozen Redis never answers: the check gives up.
      const perQueue = await withTimeout(
        Promise.all(
          this.queues.map((queue) =>
            Promise.all([
              queue.getWorkersCount(),
              queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
              readQueueProgress(this.redisClient, queue, now),
            ]),
          ),
        ),
        REDIS_CHECK_TIMEOUT_MS,
      );
      for (const [i, queue] of this.queues.entries()) {
        const [workers, jobs, progress] = perQueue[i];
        counts[queue.name] = { ...jobs, workers };
        if (workers === 0) workersMissing.push(queue.name);
        else if (isStuck(progress, now, this.config.QUEUE_STUCK_SECONDS * 1000)) stuck.push(queue.name);
      }
      if (stuck.length) {
        const message = `キュー ${stuck.join('、')} が停滞しています（処理待ちのジョブがあるのに、${this.config.QUEUE_STUCK_SECONDS} 秒以上どのジョブも終わっていません）`;
        return indicator.down({ ...counts, workersMissing, stuck, message });
      }
      return indicator.up({ ...counts, workersMissing, stuck });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
