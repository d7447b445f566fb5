import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { assertJobHandlers, type QueueName } from '@app/queue';

/**
 * Starts a processor's BullMQ worker once its handlers are checked. The workers are created
 * with `autorun: false` (the @Processor options) because @nestjs/bullmq creates them before
 * the processors' own onModuleInit: running at once, a worker missing a handler could take a
 * job and fail it for good before the check stopped the boot.
 */
export function runChecked(queue: QueueName, handlers: Record<string, unknown>, worker: Worker): void {
  assertJobHandlers(queue, handlers);
  worker.run().catch((error: unknown) => new Logger(`queue ${queue}`).error(`worker stopped: ${(error as Error).message}`));
}
