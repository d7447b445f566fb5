import type { AppConfig } from '@app/config';
import { createRedisClient } from '@app/queue';

export class RedisPolicyError extends Error {}

/**
 * BullMQ loses jobs silently when Redis evicts keys, so the worker refuses to start
 * unless maxmemory-policy is noeviction.
 */
export async function assertRedisNoEviction(config: AppConfig): Promise<void> {
  const client = createRedisClient(config, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    const [, policy] = (await client.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      throw new RedisPolicyError(`Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" (redis-cli config set maxmemory-policy noeviction)`);
    }
  } finally {
    client.disconnect();
  }
}
