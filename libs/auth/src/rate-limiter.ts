import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { createRedisClient, type RedisClient } from '@app/queue';

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  blocked: boolean;
  /** Seconds until the window ends (the Retry-After of a blocked request). */
  resetSeconds: number;
}

/**
 * Fixed-window hit counter in Redis, so every api instance counts against the same limit.
 * One key per window: INCR, and PEXPIRE with NX so only the window's first hit sets its end,
 * both in one MULTI. Keys live under `<QUEUE_PREFIX>:rate-limit:`.
 *
 * Why not @nestjs/throttler (installed, v6): it is CommonJS requiring the ESM-only Nest 12
 * packages, which Jest's ESM mode on Node 20 cannot load, and @nest-lab/throttler-storage-redis
 * does not declare Nest 12. This is the part of them we need.
 *
 * A Redis outage fails open (the request is let through and a warning logged): logins keep
 * working while bcrypt still slows guessing, and /health reports the outage.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimit');
  private readonly prefix: string;
  // Its own connection with short retries: BullMQ's waits forever, which would hang logins.
  private readonly redis: RedisClient;

  constructor(config: AppConfig) {
    this.prefix = `${config.QUEUE_PREFIX}:rate-limit`;
    this.redis = createRedisClient(config, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
    this.redis.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
  }

  async hit(key: string, windowMs: number, limit: number): Promise<RateLimitHit> {
    const redisKey = `${this.prefix}:${key}`;
    try {
      const results = await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs, 'NX').pttl(redisKey).exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (!results || failed) throw failed ?? new Error('MULTI aborted');
      const count = Number(results[0][1]);
      const remainingMs = Number(results[2][1]);
      return { count, blocked: count > limit, resetSeconds: Math.max(1, Math.ceil((remainingMs > 0 ? remainingMs : windowMs) / 1000)) };
    } catch (error) {
      this.logger.warn(`rate limit storage unavailable, request let through: ${(error as Error).message}`);
      return { count: 0, blocked: false, resetSeconds: Math.ceil(windowMs / 1000) };
    }
  }

  /** Failures counted against `key` so far (0 when Redis cannot say: fail open, as hit does). */
  async failures(key: string): Promise<{ count: number; resetSeconds: number }> {
    const redisKey = `${this.prefix}:${key}`;
    try {
      const [count, ttl] = await Promise.all([this.redis.get(redisKey), this.redis.pttl(redisKey)]);
      return { count: Number(count ?? 0), resetSeconds: Math.max(1, Math.ceil(Number(ttl) / 1000)) };
    } catch (error) {
      this.logger.warn(`lockout storage unavailable, sign-in let through: ${(error as Error).message}`);
      return { count: 0, resetSeconds: 0 };
    }
  }

  /** One more failure against `key`; the count lives `windowMs` from the latest failure. */
  async fail(key: string, windowMs: number): Promise<number> {
    const redisKey = `${this.prefix}:${key}`;
    try {
      const results = await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs).exec();
      return Number(results?.[0]?.[1] ?? 0);
    } catch (error) {
      this.logger.warn(`lockout storage unavailable: ${(error as Error).message}`);
      return 0;
    }
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:${key}`).catch((error) => this.logger.warn(`lockout storage unavailable: ${(error as Error).message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
