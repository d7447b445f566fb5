import type { Queue } from 'bullmq';

/** What liveness looks at on one queue (epoch ms; null: none). */
export interface QueueProgress {
  /** Since when jobs have been due: the oldest waiting job's ready time, or the earliest overdue delayed job's. */
  dueSince: number | null;
  /** When a worker last finished (completed or failed) a job of the queue. */
  lastFinishedAt: number | null;
}

/**
 * Stuck: jobs have been due for longer than the threshold and no job finished within it. A
 * failed job counts as progress (a worker took it: a failing SMTP server is another alarm), and
 * a queue that was idle is not stuck the moment a job arrives, only once it has waited that long.
 */
export function isStuck(progress: QueueProgress, now: number, thresholdMs: number): boolean {
  if (progress.dueSince === null || now - progress.dueSince <= thresholdMs) return false;
  return progress.lastFinishedAt === null || now - progress.lastFinishedAt > thresholdMs;
}

/** The key beside the queue's own (same hash tag, same slot) where workers note their last finished job. */
export function lastFinishedKey(queue: Pick<Queue, 'toKey'>): string {
  return queue.toKey('last-finished');
}

/** Delayed jobs are scored by their due time ×0x1000 plus a counter (BullMQ's addDelayedJob). */
const DELAYED_SCORE_FACTOR = 0x1000;

/** The commands liveness needs, answered by ioredis (standalone or cluster) and BullMQ's client alike. */
export interface LivenessRedis {
  lindex(key: string, index: number): Promise<string | null>;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  zrange(key: string, start: number, stop: number, withScores: 'WITHSCORES'): Promise<string[]>;
  get(key: string): Promise<string | null>;
}

/**
 * Reads a queue's progress. Raw keys, as BullMQ lays them out (`wait` a list taken from its
 * right end, `delayed` a sorted set): its getters give no job's ready time, and a job's
 * timestamp is when it was created, a day early for a scheduler's next run.
 */
export async function readQueueProgress(redis: LivenessRedis, queue: Pick<Queue, 'toKey'>, now: number): Promise<QueueProgress> {
  const [oldestWaiting, earliestDelayed, lastFinished] = await Promise.all([
    redis.lindex(queue.toKey('wait'), -1),
    redis.zrange(queue.toKey('delayed'), 0, 0, 'WITHSCORES'),
    redis.get(lastFinishedKey(queue)),
  ]);
  const due: number[] = [];
  if (oldestWaiting) {
    const [timestamp, delay] = await redis.hmget(queue.toKey(oldestWaiting), 'timestamp', 'delay');
    // A job whose hash is gone (removed meanwhile) still says something waits: count it from now.
    due.push(timestamp ? Number(timestamp) + Number(delay ?? 0) : now);
  }
  if (earliestDelayed.length === 2) {
    const dueAt = Math.floor(Number(earliestDelayed[1]) / DELAYED_SCORE_FACTOR);
    if (dueAt <= now) due.push(dueAt);
  }
  return { dueSince: due.length ? Math.min(...due) : null, lastFinishedAt: lastFinished ? Number(lastFinished) : null };
}
