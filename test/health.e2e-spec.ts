import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createTestApp, TestApp } from './utils/test-app';

describe('health and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports database, Redis policy and queue counts', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
    expect(res.body.info.redis.maxmemoryPolicy).toBe('noeviction');
    expect(res.body.info.queues).toHaveProperty('reminders');
    // No queue has jobs due that nothing finishes (test/worker-liveness.e2e-spec.ts makes one).
    expect(res.body.info.queues.stuck).toEqual([]);
  });

  it('counts the workers on each queue and names the queues nobody works on, without failing the api', async () => {
    const before = await t.http().get('/health').expect(200);
    expect(before.body.info.queues.workersMissing).toEqual(['cycles', 'reminders', 'personnel']);
    expect(before.body.info.queues.reminders.workers).toBe(0);
    let worker: INestApplicationContext | null = null;
    try {
      worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
      await worker.init();
      let after = before;
      for (let i = 0; i < 50 && after.body.info.queues.workersMissing.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await t.http().get('/health').expect(200);
      }
      expect(after.body.info.queues.workersMissing).toEqual([]);
      expect(after.body.info.queues.reminders.workers).toBeGreaterThanOrEqual(1);
      expect(after.body.info.queues.cycles.workers).toBeGreaterThanOrEqual(1);
    } finally {
      await worker?.close();
    }
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toContain('/api/auth/login');
  });

  it('refuses an unauthenticated request with 401', async () => {
    const res = await t.http().get('/api/auth/me').expect(401);
    expect(res.body.message).toMatch(/ログイン/);
  });

  it('rejects malformed JSON with 400, not 500', async () => {
    await t.http().post('/api/auth/login').set('content-type', 'application/json').send('{"login":').expect(400);
  });

  it('names the missing field on a login without password', async () => {
    const res = await t.http().post('/api/auth/login').send({ login: 'x', extra: 1 }).expect(400);
    // In Japanese, each naming its field, with the first field and the list beside the message.
    expect(res.body).toMatchObject({ error: 'bad_request', field: expect.any(String) });
    expect(res.body.message).toContain('password: 文字列で入力してください');
    expect(res.body.message).toContain('extra: この項目は受け付けていません');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' }), expect.objectContaining({ field: 'extra' })]));
  });
});
