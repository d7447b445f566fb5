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

/** 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a6e5a5f30000000049454e44ae426082',
  'hex',
);

/**
 * 団体設定 (issue #20): a municipality's administrator reads and edits its own profile, in a
 * multi-tenant installation of two (入間市 = tenant 1, 千代田区 = B). Versioned, audited, refused
 * with the field named, never another municipality's; mails and public pages take the change.
 */
describe('tenant profile: a municipality edits its own name, sender, contact and logo', () => {
  let t: TestApp;
  let worker: INestApplicationContext | null = null;
  const sink = new SmtpSink();
  const B = 2;
  let adminA: string;
  let adminAId: number;
  let planningA: string;
  let adminB: string;
  const signIn = async (code: string, login: string) =>
    (await t.http().post('/api/auth/login').set('X-Tenant', code).send({ login, password: 'password' }).expect(200)).body.accessToken as string;
  const ownerRows = async (sql: string, params: unknown[] = []) => {
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      return (await owner.query(sql, params)).rows;
    } finally {
      await owner.end();
    }
  };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      TENANCY: 'multi',
      MUNICIPALITY_NAME: '入間市',
      MUNICIPALITY_CODE: '112259',
      MAIL_FROM: '入間市 評価サイクル <hyoka@city.iruma.example.jp>',
      PLANNING_CONTACT_NAME: '企画課',
      SMTP_PORT: String(sink.port),
      ACCOUNT_LOCKOUT_ATTEMPTS: '3',
      LOGIN_RATE_LIMIT: '1000',
      REMINDER_RELAY_EVERY_SECONDS: '1',
    });
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await tenant(owner, { id: B, code: '131016', name: '千代田区', mailFrom: '千代田区 <hyoka@city.chiyoda.example.jp>', contactName: '政策経営課' });
    } finally {
      await owner.end();
    }
    await t.app.get(TenantsService).readProfiles();
    await runInTenant(1, async () => {
      adminAId = await createUser(t, { login: 'admin', roles: ['admin'], name: '入間 管理者' });
      await createUser(t, { login: 'kikaku', roles: ['planning'] });
      await createUser(t, { login: 'kacho', roles: ['chief'], name: '入間 課長' });
    });
    await runInTenant(B, async () => {
      await t.app.get(RatingScalesService).mirrorBuiltins();
      await createUser(t, { login: 'admin', roles: ['admin'], name: '千代田 管理者' });
    });
    adminA = await signIn('112259', 'admin');
    planningA = await signIn('112259', 'kikaku');
    adminB = await signIn('131016', 'admin');
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  const get = (token: string) => t.http().get('/api/org/tenant').set(bearer(token));
  const patch = (token: string, body: object) => t.http().patch('/api/org/tenant').set(bearer(token)).send(body);

  it('shows the administrator its own profile, the code included, and saves a change with a new version, audited', async () => {
    const before = (await get(adminA).expect(200)).body;
    expect(before).toMatchObject({ id: 1, code: '112259', name: '入間市', contactName: '企画課', logoUrl: null, version: 1, inEffect: true });
    const res = await patch(adminA, {
      version: 1,
      contactName: '経営企画課',
      contactPhone: '04-2964-1111',
      contactEmail: 'kikaku@city.iruma.example.jp',
    }).expect(200);
    expect(res.body).toMatchObject({ code: '112259', contactName: '経営企画課', contactPhone: '04-2964-1111', version: 2 });
    expect((await get(adminA).expect(200)).body).toMatchObject({ contactName: '経営企画課', version: 2 });
    // The code is not the municipality's to change: not even a field of the request.
    const code = await patch(adminA, { version: 2, code: '131016' }).expect(400);
    expect(code.body.field).toBe('code');
    const audit = await ownerRows(
      `SELECT tenant_id, actor_user_id, action, subject_type, subject_id, before, after FROM audit_log WHERE action = 'tenant.update'`,
    );
    expect(audit).toEqual([
      {
        tenant_id: 1,
        actor_user_id: adminAId,
        action: 'tenant.update',
        subject_type: 'tenant',
        subject_id: '1',
        before: { contactName: '企画課', contactPhone: null, contactEmail: null, version: 1 },
        after: { contactName: '経営企画課', contactPhone: '04-2964-1111', contactEmail: 'kikaku@city.iruma.example.jp', version: 2 },
      },
    ]);
  });

  it("gives another municipality's administrator only their own profile, and never lets them change this one", async () => {
    const theirs = (await get(adminB).expect(200)).body;
    expect(theirs).toMatchObject({ id: B, code: '131016', name: '千代田区' });
    expect(JSON.stringify(theirs)).not.toContain('入間');
    // Their token with our municipality's header: refused, whatever the call.
    await get(adminB).set('X-Tenant', '112259').expect(401);
    await patch(adminB, { version: 2, name: '乗っ取り市' }).set('X-Tenant', '112259').expect(401);
    // Their own save changes their row only.
    await patch(adminB, { version: theirs.version, contactPhone: '03-3264-2111' }).expect(200);
    const rows = await ownerRows(`SELECT id, name, contact_phone, version FROM tenants ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, name: '入間市', contact_phone: '04-2964-1111', version: 2 },
      { id: B, name: '千代田区', contact_phone: '03-3264-2111', version: 2 },
    ]);
  });

  it('refuses the planning division (403), a stale version (409 with the current one) and a bad sender (422 naming it)', async () => {
    const planning = await patch(planningA, { version: 2, name: '企画市' }).expect(403);
    expect(planning.body.message).toEqual(expect.any(String));
    await get(planningA).expect(403);
    const stale = await patch(adminA, { version: 1, name: '古い版市' }).expect(409);
    expect(stale.body).toMatchObject({ field: 'version', currentVersion: 2 });
    expect(stale.body.message).toContain('他の管理者');
    const bad = await patch(adminA, { version: 2, mailFrom: '入間市 hyoka@city' }).expect(422);
    expect(bad.body.field).toBe('mailFrom');
    expect(bad.body.message).toMatch(/^mailFrom: メールの差出人は/);
    const forged = await patch(adminA, { version: 2, mailFrom: 'a <a@b.jp>\r\nBcc: x@y.jp' }).expect(422);
    expect(forged.body.field).toBe('mailFrom');
    const noName = await patch(adminA, { version: 2, name: '  ' }).expect(422);
    expect(noName.body.field).toBe('name');
    expect((await ownerRows(`SELECT name, mail_from, version FROM tenants WHERE id = 1`))[0]).toEqual({
      name: '入間市',
      mail_from: '入間市 評価サイクル <hyoka@city.iruma.example.jp>',
      version: 2,
    });
  });

  it('takes a PNG as the logo, served from this origin under a sandboxing CSP, and refuses an SVG with script and a file over 256 KB (422 on file)', async () => {
    const evil = await t
      .http()
      .post('/api/org/tenant/logo')
      .set(bearer(adminA))
      .field('version', '2')
      .attach('file', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), {
        filename: 'logo.svg',
        contentType: 'image/svg+xml',
      })
      .expect(422);
    expect(evil.body).toMatchObject({ field: 'file' });
    expect(evil.body.message).toContain('script');
    const big = await t
      .http()
      .post('/api/org/tenant/logo')
      .set(bearer(adminA))
      .field('version', '2')
      .attach('file', Buffer.alloc(300 * 1024, 0x20), { filename: 'big.png', contentType: 'image/png' })
      .expect(422);
    expect(big.body.field).toBe('file');
    const res = await t
      .http()
      .post('/api/org/tenant/logo')
      .set(bearer(adminA))
      .field('version', '2')
      .attach('file', PNG, { filename: 'logo.png', contentType: 'image/png' })
      .expect(200);
    expect(res.body).toMatchObject({ version: 3, logoUrl: '/public/logo/1?v=3' });
    const logo = await t.http().get('/public/logo/1?v=3').buffer(true).expect(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(logo.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.compare(logo.body as Buffer, PNG)).toBe(0);
    await t.http().get(`/public/logo/${B}`).expect(404);
    const audit = await ownerRows(`SELECT after FROM audit_log WHERE action = 'tenant.update' AND after ? 'logo' ORDER BY id`);
    expect(audit).toEqual([{ after: { logo: { type: 'image/png', bytes: PNG.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, version: 3 } }]);
    // The public pages and the app's header show it, with the name, from the moment it is saved.
    const info = await t.http().get('/api/system-info').set('X-Tenant', '112259').expect(200);
    expect(info.body).toEqual({
      demo: expect.any(Boolean),
      multiTenant: true,
      municipality: { code: '112259', name: '入間市', logoUrl: '/public/logo/1?v=3' },
    });
    const page = await t.http().get('/public').set('X-Tenant', '112259').expect(200);
    expect(page.text).toContain('<img class="logo" src="/public/logo/1?v=3" alt="">');
    const chiyoda = await t.http().get('/public').set('X-Tenant', '131016').expect(200);
    expect(chiyoda.text).not.toContain('/public/logo/');

    // Removed (with the version read): gone from its address, audited by what it was.
    await t.http().delete('/api/org/tenant/logo?version=2').set(bearer(adminA)).expect(409);
    const removed = await t.http().delete('/api/org/tenant/logo?version=3').set(bearer(adminA)).expect(200);
    expect(removed.body).toMatchObject({ version: 4, logoUrl: null });
    await t.http().get('/public/logo/1?v=3').expect(404);
    const [last] = await ownerRows(`SELECT before, after FROM audit_log WHERE action = 'tenant.update' ORDER BY id DESC LIMIT 1`);
    expect(last).toEqual({ before: { logo: audit[0].after.logo, version: 3 }, after: { logo: null, version: 4 } });
  });

  it('puts a new name and sender in place at once in this process, and a mail sent afterwards carries the new sender', async () => {
    await patch(adminA, { version: 4, name: '入間市役所', mailFrom: '入間市 企画 <kikaku@city.iruma.example.jp>' }).expect(200);
    // This api process: the public page shows the new name at once (no minute's wait).
    const page = await t.http().get('/public').set('X-Tenant', '112259').expect(200);
    expect(page.text).toContain('入間市役所');
    expect(runInTenant(1, () => t.app.get(TenantsService).tenantConfig().MAIL_FROM)).toBe('入間市 企画 <kikaku@city.iruma.example.jp>');
    // The browser's public site: ?t= names the municipality, and its cookie keeps it for the next page.
    const byQuery = await t.http().get('/public?t=112259').expect(200);
    expect(byQuery.text).toContain('入間市役所');
    const cookie = byQuery.headers['set-cookie'] as unknown as string[];
    expect(cookie[0]).toMatch(/^hyoka_public_tenant=112259; Path=\/public; HttpOnly; SameSite=Lax/);
    const next = await t.http().get('/public/accessibility').set('Cookie', cookie[0].split(';')[0]).expect(200);
    expect(next.text).toContain('入間市役所');
    await t.http().get('/public?t=999999').expect(404);

    // A mail: the account lock notice of one of its users, sent by a worker.
    for (let i = 0; i < 3; i++) await t.http().post('/api/auth/login').set('X-Tenant', '112259').send({ login: 'kacho', password: 'wrong' }).expect(401);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    await sink.waitFor(() => sink.messages.length >= 1);
    const [mail] = sink.messages;
    expect(mail.envelope.to).toEqual(['kacho@example.jp']);
    expect(mail.envelope.from).toBe('kikaku@city.iruma.example.jp');
    expect(mail.headers.from).toContain('kikaku@city.iruma.example.jp');
    expect(mail.text).toContain('経営企画課');
    expect(mail.text).toContain('04-2964-1111');
  });
});

/**
 * A single-city installation (TENANCY=single): no header anywhere, the configuration's name and
 * sender until the administrator edits the profile, the row's from then on.
 */
describe('tenant profile in a single-city installation', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ MUNICIPALITY_NAME: '入間市', MUNICIPALITY_CODE: '112259', LOGIN_RATE_LIMIT: '1000' });
    await createUser(t, { login: 'admin', roles: ['admin'] });
    admin = (await t.http().post('/api/auth/login').send({ login: 'admin', password: 'password' }).expect(200)).body.accessToken;
  });
  afterAll(() => t?.close());

  it('uses the configuration until the profile is edited, then the edited profile, with no X-Tenant', async () => {
    // The row was made from the configuration the migration ran with; the running configuration wins until an edit.
    t.config.MUNICIPALITY_NAME = '設定の市';
    expect((await t.http().get('/api/system-info').expect(200)).body).toMatchObject({ multiTenant: false, municipality: { name: '設定の市', logoUrl: null } });
    const before = (await t.http().get('/api/org/tenant').set(bearer(admin)).expect(200)).body;
    expect(before).toMatchObject({ code: '112259', name: '入間市', version: 1, inEffect: false });
    expect((await t.http().get('/public').expect(200)).text).toContain('設定の市');
    const saved = await t.http().patch('/api/org/tenant').set(bearer(admin)).send({ version: 1, name: '入間市役所' }).expect(200);
    expect(saved.body).toMatchObject({ name: '入間市役所', version: 2, inEffect: true });
    expect((await t.http().get('/public').expect(200)).text).toContain('入間市役所');
    expect((await t.http().get('/api/system-info').expect(200)).body.municipality.name).toBe('入間市役所');
  });
});
