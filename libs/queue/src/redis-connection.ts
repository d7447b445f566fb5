import type { AppConfig } from '@app/config';

/** Connection settings for ioredis, shared by BullMQ and the direct Redis clients. */
export function redisOptions(config: AppConfig) {
  return {
    host: config.REDIS_HOST,
    port: config.REDIS_PORT,
    password: config.REDIS_PASSWORD,
    // BullMQ workers block on Redis; a null limit lets them wait through a Redis restart.
    maxRetriesPerRequest: null,
  };
}
