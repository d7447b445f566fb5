import { Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { InjectQueue } from '@nestjs/bullmq';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { QueueName, redisOptions } from '@app/queue';

const QUEUE_CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Redis reachability, its eviction policy, and the job counts of each queue. */
@Injectable()
export class QueueHealthIndicator implements OnModuleDestroy {
  private readonly queues: Queue[];
  private readonly redisClient: Redis;

  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(QueueName.Cycles) cycles: Queue,
    @InjectQueue(QueueName.Reminders) reminders: Queue,
    config: AppConfig,
  ) {
    this.queues = [cycles, reminders];
    this.redisClient = new Redis({ ...redisOptions(config), maxRetriesPerRequest: 1, lazyConnect: true });
  }

  onModuleDestroy(): void {
    this.redisClient.disconnect();
  }

  async redis(key = 'redis') {
    const indicator = this.health.check(key);
    try {
      const [, policy] = (await this.redisClient.config('GET', 'maxmemory-policy')) as [string, string];
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
   * `workersMissing` names those queues for monitoring to alert on.
   */
  async queueCounts(key = 'queues') {
    const indicator = this.health.check(key);
    try {
      const counts: Record<string, Record<string, number>> = {};
      const workersMissing: string[] = [];
      for (const queue of this.queues) {
        // A queue that never reached Redis waits for its first connection before any command,
        // whatever its offline-queue setting: the health check gives up after a while instead.
        const [workers, jobs] = await withTimeout(
          Promise.all([queue.getWorkersCount(), queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed')]),
          QUEUE_CHECK_TIMEOUT_MS,
        );
        counts[queue.name] = { ...jobs, workers };
        if (workers === 0) workersMissing.push(queue.name);
      }
      return indicator.up({ ...counts, workersMissing });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
