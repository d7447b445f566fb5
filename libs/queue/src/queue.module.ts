import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue-names';
import { redisOptions } from './redis-connection';

/**
 * The BullMQ root configuration and every queue. `failFast`: commands issued while Redis is
 * unreachable are refused at once instead of waiting in ioredis' offline queue for the
 * connection to come back (with `maxRetriesPerRequest: null` that wait has no end).
 */
function bullImports(failFast: boolean): { root: DynamicModule; queues: DynamicModule[] } {
  return {
    root: BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: failFast ? { ...redisOptions(config), enableOfflineQueue: false } : redisOptions(config),
        prefix: config.QUEUE_PREFIX,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    queues: Object.values(QueueName).map((name) => BullModule.registerQueue({ name })),
  };
}

const producer = bullImports(true);
const worker = bullImports(false);

/**
 * Registers every queue once; producers in libs inject them with @InjectQueue. For processes
 * that only add jobs and read counts (the api, the seed): while Redis is down a queue call
 * fails at once, so a request (GET /health: 503) answers instead of hanging until Redis is back.
 */
@Global()
@Module({ imports: [producer.root, ...producer.queues], exports: producer.queues })
export class QueueModule {}

/**
 * The queues of the worker. Its processors take their connection from these queues, and a
 * BullMQ worker must wait through a Redis outage (job completion, lock renewal, the blocking
 * fetch) rather than fail each call, so these keep ioredis' offline queue.
 */
@Global()
@Module({ imports: [worker.root, ...worker.queues], exports: worker.queues })
export class WorkerQueueModule {}
