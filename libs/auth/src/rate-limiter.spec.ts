import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@app/config';
import { RateLimiter } from './rate-limiter';

/** Against the real Redis the tests use, under a throwaway prefix. */
describe('RateLimiter', () => {
  const prefix = `hyoka-test-rl-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ ...process.env, QUEUE_PREFIX: prefix });
  let limiter: RateLimiter;

  beforeAll(() => {
    limiter = new RateLimiter(config);
  });
  afterAll(async () => {
    const redis = new Redis({ host: config.REDIS_HOST, port: config.REDIS_PORT, password: config.REDIS_PASSWORD });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await limiter.onModuleDestroy();
  });

  it('counts hits in a window and blocks past the limit, with the seconds left', async () => {
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await limiter.hit('k1', 30_000, 3));
    expect(hits.map((h) => [h.count, h.blocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(hits[3].resetSeconds).toBeGreaterThan(0);
    expect(hits[3].resetSeconds).toBeLessThanOrEqual(30);
  });

  it('opens a new window when the old one expires', async () => {
    await limiter.hit('k2', 50, 1);
    expect((await limiter.hit('k2', 50, 1)).blocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await limiter.hit('k2', 50, 1)).toMatchObject({ count: 1, blocked: false });
  });

  it('counts concurrent hits exactly (INCR in MULTI)', async () => {
    const hits = await Promise.all(Array.from({ length: 50 }, () => limiter.hit('k3', 30_000, 10)));
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(hits.filter((h) => !h.blocked)).toHaveLength(10);
  });

  it('fails open when Redis is unreachable', async () => {
    const down = new RateLimiter(loadConfig({ ...process.env, QUEUE_PREFIX: prefix, REDIS_PORT: '1' }));
    try {
      expect(await down.hit('k4', 30_000, 1)).toMatchObject({ blocked: false });
    } finally {
      await down.onModuleDestroy();
    }
  });
});
