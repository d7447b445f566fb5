import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { RedisProcess } from './utils/redis-process';
import { createTestApp, TestApp } from './utils/test-app';

/** /health answers within this long whatever the state of Redis (the Redis checks give up after 1 s, side by side). */
const HEALTH_BOUND_MS = 2_000;

/**
 * A redis-server of the test's own, frozen with SIGSTOP: its connections stay open and nothing
 * is answered (a stalled host, a VM paused, a fork stuck on memory), which no reconnect logic
 * notices. /health must answer 503 within its bound for as long as the freeze lasts, sign-in
 * must still work (the rate limiter fails open), and after SIGCONT /health is 200 again.
 */
describe('faults: Redis frozen (SIGSTOP)', () => {
  let redis: RedisProcess;
  let t: TestApp;
  let f: CycleFixture;

  beforeAll(async () => {
    redis = await RedisProcess.start();
    t = await createTestApp({ REDIS_PORT: String(redis.port) });
    f = await createCycleFixture(t);
  }, 60_000);

  afterAll(async () => {
    // Thawed first: the app's Redis clients and the cleanup of the suite's keys need answers to close.
    redis?.thaw();
    await t?.close();
    await redis?.kill();
  }, 60_000);

  const timedHealth = async () => {
    const started = Date.now();
    const res = await t.http().get('/health').timeout(30_000);
    return { res, ms: Date.now() - started };
  };

  it('answers /health with 503 within its bound during the freeze, and 200 after it', async () => {
    expect((await timedHealth()).res.status).toBe(200);
    redis.freeze();
    try {
      for (let i = 0; i < 3; i++) {
        const { res, ms } = await timedHealth();
        expect(res.status).toBe(503);
        expect(ms).toBeLessThan(HEALTH_BOUND_MS);
        expect(res.body.error).toMatchObject({ redis: { status: 'down' }, queues: { status: 'down' } });
        expect(res.body.info.database.status).toBe('up');
      }
      // What needs no Redis answers: a sign-in (the rate limiter gives up after its own timeout and lets it through).
      const login = await t.http().post('/api/auth/login').send({ login: 'staff-a', password: 'password' }).timeout(30_000);
      expect(login.status).toBe(200);
      await t
        .http()
        .get('/api/entries/mine')
        .set({ Authorization: `Bearer ${f.users.staffA.token}` })
        .expect(200);
    } finally {
      redis.thaw();
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      const { res, ms } = await timedHealth();
      expect(ms).toBeLessThan(HEALTH_BOUND_MS);
      status = res.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  }, 60_000);
});
