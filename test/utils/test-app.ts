import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { createRedisClient } from '@app/queue';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { createTestDatabase, dropTestDatabase, testConfig } from './test-database';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The real api on a fresh database and Redis prefix, with the production pipes and filters. */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  await createTestDatabase(config);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  configureApp(app);
  await app.init();
  const db = app.get(DataSource);
  return {
    app,
    config,
    db,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await clearQueuePrefix(config);
      await dropTestDatabase(config);
    },
  };
}

/** Removes every Redis key the suite's queues created. */
export async function clearQueuePrefix(config: AppConfig): Promise<void> {
  const redis = createRedisClient(config);
  try {
    // A cluster scans node by node (its primaries); the suite's keys share one slot, so one DEL may take many.
    for (const node of 'nodes' in redis ? redis.nodes('master') : [redis]) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${config.QUEUE_PREFIX}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
