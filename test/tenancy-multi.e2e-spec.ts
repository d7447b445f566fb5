import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RatingScalesService } from '@app/cycles';
import { runInTenant, TenantsService } from '@app/database';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { bearer, createUser } from './utils/factories';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';
import { tenant } from './utils/builder';

/**
 * TENANCY=multi: two municipalities in one installation. Nothing runs as a tenant it was not
 * given: a sign-in names its municipality (X-Tenant), a request without one sees no rows, the
 * worker sends each municipality's mail as that municipality (its sender and contact), and
 * the public site shows the municipality it is asked for.
 */
describe('tenancy: several municipalities in one installation', () => {
  let t: TestApp;
  let worker: INestApplicationContext | null = null;
  const sink = new SmtpSink();
  const B = 2;
  const login = (tenant: string | null, loginId: string, password = 'password') => {
    const call = t.http().post('/api/auth/login');
    if (tenant) call.set('X-Tenant', tenant);
    return call.send({ login: loginId, password });
  };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      TENANCY: 'multi',
      MUNICIPALITY_NAME: '入間市',
      MUNICIPALITY_CODE: '112259',
      MAIL_FROM: '入間市 評価サイクル <hyoka@city.iruma.example.jp>',
      SMTP_PORT: String(sink.port),
      ACCOUNT_LOCKOUT_ATTEMPTS: '3',
      LOGIN_RATE_LIMIT: '1000',
      REMINDER_RELAY_EVERY_SECONDS: '1',
    });
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await tenant(owner, {
        id: B,
        code: '131016',
        name: '千代田区',
        mailFrom: '千代田区 評価 <hyoka@city.chiyoda.example.jp>',
        contactName: '政策経営課',
        contactPhone: '03-3264-2111',
      });
    } finally {
      await owner.end();
    }
    await t.app.get(TenantsService).readProfiles();
    await runInTenant(1, () => createUser(t, { login: 'kacho', roles: ['chief'], name: '入間 課長' }));
    await runInTenant(B, async () => {
      await t.app.get(RatingScalesService).mirrorBuiltins();
      await createUser(t, { login: 'kacho', roles: ['chief'], name: '千代田 課長' });
    });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  it('signs in only under the municipality named, each to its own user of the same login', async () => {
    await login(null, 'kacho').expect(401);
    const iruma = await login('112259', 'kacho').expect(200);
    const chiyoda = await login('131016', 'kacho').expect(200);
    const me = async (token: string) => (await t.http().get('/api/auth/me').set(bearer(token)).expect(200)).body.name;
    expect(await me(iruma.body.accessToken)).toBe('入間 課長');
    expect(await me(chiyoda.body.accessToken)).toBe('千代田 課長');
  });

  it('without a tenant, the application sees no row of any municipality', async () => {
    expect(await t.db.query(`SELECT count(*)::int AS n FROM users`)).toEqual([{ n: 0 }]);
    expect(await runInTenant(B, () => t.db.query(`SELECT name FROM users`))).toEqual([{ name: '千代田 課長' }]);
  });

  it('never runs a statement under the tenant a pooled connection served before', async () => {
    const asked = Array.from({ length: 120 }, (_, i) => [1, B, null, undefined][i % 4]);
    const seen = await Promise.all(
      asked.map(async (tenant) => {
        const read = async () => (await t.db.query(`SELECT app_tenant() AS tenant, (SELECT count(*)::int FROM users) AS users`))[0];
        if (tenant === undefined) return read();
        // A transaction that fails and rolls back, then the statement, on whatever connection comes.
        return runInTenant(tenant, async () => {
          await t.db.transaction(async (em) => em.query(`SELECT 1/0`)).catch(() => undefined);
          return read();
        });
      }),
    );
    expect(seen).toEqual(asked.map((tenant) => (tenant === 1 || tenant === B ? { tenant, users: 1 } : { tenant: null, users: 0 })));
  });

  it('shows on the public site the municipality asked for, by name and code', async () => {
    const chiyoda = await t.http().get('/public/opendata').set('X-Tenant', '131016').expect(200);
    expect(chiyoda.text).toContain('千代田区');
    expect(chiyoda.text).not.toContain('入間市');
    const iruma = await t.http().get('/public/opendata').set('X-Tenant', '112259').expect(200);
    expect(iruma.text).toContain('入間市');
    expect(iruma.text).not.toContain('千代田区');
  });

  it("mails a municipality's user from that municipality's sender, with its contact", async () => {
    for (let i = 0; i < 3; i++) await login('131016', 'kacho', 'wrong').expect(401);
    await login('131016', 'kacho').expect(423);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    await sink.waitFor(() => sink.messages.length >= 1);
    const [mail] = sink.messages;
    expect(mail.envelope.to).toEqual(['kacho@example.jp']);
    expect(mail.text).toContain('千代田 課長 様');
    expect(mail.envelope.from).toBe('hyoka@city.chiyoda.example.jp');
    expect(mail.text).toContain('政策経営課');
    expect(mail.text).toContain('03-3264-2111');
    // Only the locked user of that municipality: the other's account is untouched.
    await login('112259', 'kacho').expect(200);
  });
});
