import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import Redis from 'ioredis';
import { redisOptions } from '@app/queue';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/bootstrap';
import { createUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const LIMIT = 5;

/**
 * Login rate limiting: LOGIN_RATE_LIMIT attempts per minute per client IP + login name,
 * counted in Redis so that two api instances (same database, same Redis prefix) share it.
 */
describe('security: login rate limit shared across api instances', () => {
  let t: TestApp;
  let second: INestApplication;
  let redis: Redis;
  const apps = () => [t.app, second];
  const login = (i: number, body: object) =>
    request(apps()[i % 2].getHttpServer())
      .post('/api/auth/login')
      .send(body);

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: String(LIMIT) });
    // A second api instance on the same configuration: same database, same Redis prefix.
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(t.config)] }).compile();
    second = moduleRef.createNestApplication({ logger: ['error'] });
    configureApp(second);
    await second.init();
    redis = new Redis(redisOptions(t.config));
    await createUser(t, { login: 'target', roles: ['staff'] });
    await createUser(t, { login: 'bystander', roles: ['staff'] });
  });
  afterAll(async () => {
    redis?.disconnect();
    await second?.close();
    await t?.close();
  });

  it('counts attempts made on either instance against one limit, then answers 429 in Japanese with Retry-After', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await login(i, { login: 'target', password: 'wrong-password' });
      expect(res.status).toBe(401);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(LIMIT - i - 1));
    }
    for (let i = 0; i < 2; i++) {
      const res = await login(i, { login: 'target', password: 'wrong-password' });
      expect(res.status).toBe(429);
      expect(res.body.message).toMatch(/ログインの試行回数が上限を超えました/);
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // The right password does not get through a blocked window either.
    await login(0, { login: 'target', password: 'password' }).expect(429);
    await login(1, { login: 'TARGET ', password: 'password' }).expect(429);
  });

  it('limits per login name: another login from the same address is unaffected', async () => {
    const res = await login(0, { login: 'bystander', password: 'password' }).expect(200);
    expect(res.body.accessToken).toEqual(expect.any(String));
  });

  it('keeps the counters in Redis under the installation prefix, hashed and expiring (the minute; the lockout window)', async () => {
    const keys = await redis.keys(`${t.config.QUEUE_PREFIX}:rate-limit:login:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.join(' ')).not.toMatch(/target|bystander/);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    // The failed sign-ins above also count per account towards a lockout (test/auth-lockout).
    const lockouts = await redis.keys(`${t.config.QUEUE_PREFIX}:rate-limit:lockout:*`);
    expect(lockouts.length).toBeGreaterThanOrEqual(1);
    expect(lockouts.join(' ')).not.toMatch(/target|bystander/);
    for (const key of lockouts) expect(await redis.pttl(key)).toBeLessThanOrEqual(t.config.ACCOUNT_LOCKOUT_SECONDS * 1000);
  });

  it('limits only the login route', async () => {
    const token = (await login(1, { login: 'bystander', password: 'password' }).expect(200)).body.accessToken;
    for (let i = 0; i < LIMIT + 3; i++) {
      const res = await request(apps()[i % 2].getHttpServer())
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('ignores X-Forwarded-For when no proxy is trusted (TRUST_PROXY empty): a client cannot pick a fresh address', async () => {
    await login(0, { login: 'target', password: 'password' }).expect(429);
    const spoofed = await request(t.app.getHttpServer())
      .post('/api/auth/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ login: 'target', password: 'password' });
    expect(spoofed.status).toBe(429);
  });

  it('counts malformed attempts too (guards run before validation)', async () => {
    for (let i = 0; i < LIMIT; i++) await login(i, { login: 'odd-one', password: 123 }).expect(400);
    await login(0, { login: 'odd-one', password: 'x' }).expect(429);
  });
});

describe('security: login rate limit behind a trusted reverse proxy (TRUST_PROXY)', () => {
  let t: TestApp;
  const viaProxy = (client: string) =>
    request(t.app.getHttpServer()).post('/api/auth/login').set('X-Forwarded-For', client).send({ login: 'shared', password: 'wrong-password' });

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '2', TRUST_PROXY: 'loopback' });
    await createUser(t, { login: 'shared', roles: ['staff'] });
  });
  afterAll(() => t?.close());

  it('counts each client address the proxy reports on its own', async () => {
    await viaProxy('198.51.100.1').expect(401);
    await viaProxy('198.51.100.1').expect(401);
    await viaProxy('198.51.100.1').expect(429);
    // Another client behind the same proxy (the same socket address) is not blocked.
    await viaProxy('198.51.100.2').expect(401);
  });
});
