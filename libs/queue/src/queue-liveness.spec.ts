import { isStuck, lastFinishedKey, readQueueProgress, type LivenessRedis } from './queue-liveness';

describe('queue liveness', () => {
  const threshold = 60_000;
  const now = 1_000_000_000;

  it('calls a queue stuck only when jobs were due longer than the threshold and none finished within it', () => {
    expect(isStuck({ dueSince: null, lastFinishedAt: null }, now, threshold)).toBe(false);
    expect(isStuck({ dueSince: now - 10_000, lastFinishedAt: null }, now, threshold)).toBe(false);
    expect(isStuck({ dueSince: now - 61_000, lastFinishedAt: null }, now, threshold)).toBe(true);
    expect(isStuck({ dueSince: now - 61_000, lastFinishedAt: now - 5_000 }, now, threshold)).toBe(false);
    expect(isStuck({ dueSince: now - 3_600_000, lastFinishedAt: now - 61_000 }, now, threshold)).toBe(true);
  });

  it('reads the oldest waiting job, the earliest overdue delayed job and the last finished note', async () => {
    const queue = { toKey: (type: string) => `{p}:reminders:${type}` };
    expect(lastFinishedKey(queue)).toBe('{p}:reminders:last-finished');
    const store: Record<string, unknown> = {
      '{p}:reminders:wait': ['new', 'old'],
      '{p}:reminders:old': { timestamp: String(now - 90_000), delay: '10000' },
      '{p}:reminders:delayed': ['d1', String((now - 120_000) * 0x1000 + 7)],
      '{p}:reminders:last-finished': String(now - 70_000),
    };
    const redis: LivenessRedis = {
      lindex: async (key, i) => ((store[key] as string[] | undefined) ?? []).at(i) ?? null,
      hmget: async (key, ...fields) => fields.map((f) => (store[key] as Record<string, string> | undefined)?.[f] ?? null),
      zrange: async (key) => (store[key] as string[] | undefined) ?? [],
      get: async (key) => (store[key] as string | undefined) ?? null,
    };
    expect(await readQueueProgress(redis, queue, now)).toEqual({ dueSince: now - 120_000, lastFinishedAt: now - 70_000 });
    // A delayed job not yet due is not due work.
    store['{p}:reminders:delayed'] = ['d1', String((now + 5_000) * 0x1000)];
    expect(await readQueueProgress(redis, queue, now)).toEqual({ dueSince: now - 80_000, lastFinishedAt: now - 70_000 });
    store['{p}:reminders:wait'] = [];
    delete store['{p}:reminders:last-finished'];
    expect(await readQueueProgress(redis, queue, now)).toEqual({ dueSince: null, lastFinishedAt: null });
  });
});
