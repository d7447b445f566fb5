import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Queue, Worker } from 'bullmq';
import { AppConfig } from '@app/config';
import { createRedisClient, isStuck, lastFinishedKey, QueueName, readQueueProgress, type RedisClient } from '@app/queue';
import { CyclesProcessor } from './processors/cycles.processor';
import { PersonnelProcessor } from './processors/personnel.processor';
import { RemindersProcessor } from './processors/reminders.processor';

/** Each check gives up after this long (a frozen connection answers nothing). */
const CHECK_TIMEOUT_MS = 2_000;
/** A queue's finish note is written at most this often (not once per job of a burst). */
const NOTE_EVERY_MS = 1_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  return Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** ioredis internals a forced reconnect needs: the node connections of a cluster, the socket of a server. */
interface RawClient {
  isCluster?: boolean;
  status?: string;
  stream?: { destroy(): void };
  disconnect(reconnect?: boolean): void;
}

/**
 * Makes a connection start afresh. A standalone or sentinel client gets its socket destroyed:
 * ioredis sees the close, connects again (through the sentinels to the current primary) and
 * resends the commands that had no answer; a socket that is merely ended would wait for a FIN
 * a black-holed link never delivers. A cluster reconnects as a whole. A client already
 * reconnecting is left alone (disconnecting it then would clear ioredis' own retry timer).
 */
function restartConnection(client: RawClient | undefined): void {
  if (!client) return;
  if (client.isCluster) client.disconnect(true);
  else if (client.status === 'ready' || client.status === 'connect') client.stream?.destroy();
}

/**
 * Worker liveness, per process. Every BullMQ worker notes in Redis when it last finished a job
 * of its queue (`<prefix>:<queue>:last-finished`, which GET /health reads too). Every
 * QUEUE_LIVENESS_EVERY_SECONDS the process checks each queue: jobs due for longer than
 * QUEUE_STUCK_SECONDS with none finished meanwhile is a stuck queue (a connection that stays
 * open but gets nothing: a half-dead link, a Redis that came back behind a stale socket), and
 * the process restarts the Redis connections of that queue's worker and of its queues (the
 * producers its handlers add jobs with), at most once per threshold.
 *
 * It is housekeeping of this process only (it schedules no job and every instance may do it),
 * so it runs on an @nestjs/schedule interval, registered at run time like the scheduler refresh.
 * Its own connection, with a command timeout, is the one that can tell: when a check gets no
 * answer that connection is restarted too, and the next check runs on a fresh one.
 */
@Injectable()
export class QueueLiveness implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(QueueLiveness.name);
  private readonly redis: RedisClient;
  private readonly workers: Record<QueueName, () => Worker>;
  private readonly queues: Record<QueueName, Queue>;
  private readonly notedAt = new Map<QueueName, number>();
  private readonly restartedAt = new Map<QueueName, number>();
  private checking = false;

  constructor(
    private readonly config: AppConfig,
    private readonly schedule: SchedulerRegistry,
    cyclesProcessor: CyclesProcessor,
    remindersProcessor: RemindersProcessor,
    personnelProcessor: PersonnelProcessor,
    @InjectQueue(QueueName.Cycles) cycles: Queue,
    @InjectQueue(QueueName.Reminders) reminders: Queue,
    @InjectQueue(QueueName.Personnel) personnel: Queue,
  ) {
    // A queue added without its entry here does not compile.
    this.workers = {
      [QueueName.Cycles]: () => cyclesProcessor.worker,
      [QueueName.Reminders]: () => remindersProcessor.worker,
      [QueueName.Personnel]: () => personnelProcessor.worker,
    } satisfies Record<QueueName, () => Worker>;
    this.queues = { [QueueName.Cycles]: cycles, [QueueName.Reminders]: reminders, [QueueName.Personnel]: personnel } satisfies Record<QueueName, Queue>;
    this.redis = createRedisClient(config, { maxRetriesPerRequest: 1, commandTimeout: CHECK_TIMEOUT_MS, lazyConnect: true });
    this.redis.on('error', () => undefined); // a failed check says so itself
  }

  onApplicationBootstrap(): void {
    for (const name of Object.values(QueueName)) {
      const worker = this.workers[name]();
      worker.on('completed', () => this.noteFinished(name));
      worker.on('failed', () => this.noteFinished(name));
    }
    const timer = setInterval(() => void this.checkAll(), this.config.QUEUE_LIVENESS_EVERY_SECONDS * 1000);
    timer.unref();
    this.schedule.addInterval('queue-liveness', timer);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private noteFinished(name: QueueName): void {
    const now = Date.now();
    if (now - (this.notedAt.get(name) ?? 0) < NOTE_EVERY_MS) return;
    this.notedAt.set(name, now);
    this.redis.set(lastFinishedKey(this.queues[name]), String(now)).catch(() => this.notedAt.delete(name));
  }

  /** One pass over every queue; a pass still running (Redis slow) is not doubled. */
  async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const threshold = this.config.QUEUE_STUCK_SECONDS * 1000;
      for (const name of Object.values(QueueName)) {
        const now = Date.now();
        let progress;
        try {
          progress = await withTimeout(readQueueProgress(this.redis, this.queues[name], now), CHECK_TIMEOUT_MS);
        } catch (error) {
          this.logger.warn(`queue ${name}: liveness not checked (${(error as Error).message}); its check connection starts afresh`);
          restartConnection(this.redis as unknown as RawClient);
          return;
        }
        if (!isStuck(progress, now, threshold) || now - (this.restartedAt.get(name) ?? 0) < threshold) continue;
        this.restartedAt.set(name, now);
        const dueFor = Math.round((now - progress.dueSince!) / 1000);
        this.logger.error(
          `queue ${name} is stuck (jobs due for ${dueFor} s, none finished for ${this.config.QUEUE_STUCK_SECONDS} s): restarting its Redis connections`,
        );
        await this.restart(name);
      }
    } finally {
      this.checking = false;
    }
  }

  private async restart(name: QueueName): Promise<void> {
    const backend = this.workers[name]().getBackend();
    const clients: Promise<unknown>[] = [backend.client, ...(backend.blockingClient ? [backend.blockingClient] : [])];
    for (const queue of Object.values(this.queues)) clients.push(queue.getBackend().client);
    for (const client of clients) {
      // Resolved long ago for a connection that ever came up; one that never did is reconnecting anyway.
      restartConnection((await withTimeout(client, CHECK_TIMEOUT_MS).catch(() => undefined)) as RawClient | undefined);
    }
  }
}
