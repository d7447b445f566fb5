import { spawnSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { migrationOptions, runInTenant } from '@app/database';
import { BUILTIN_SCALES } from '@app/domain';
import { createTenant, TenantInput } from '@app/org/install/create-tenant';
import { createFirstAdministrator } from '@app/org/install/first-administrator';
import { build } from './utils/builder';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * `npm run tenant:create` (libs/org/src/install/create-tenant.ts, called here as the CLI calls it,
 * as the owner): a municipality's row, its built-in rating scales and its first administrator,
 * all in the new tenant, never in tenant 1; the same command again adds nothing; bad input is
 * refused naming the field.
 */
describe('tenant:create: a new municipality and its first administrator', () => {
  let t: TestApp;
  let owner: DataSource;
  let prefectureId: number;
  const TOKOROZAWA: TenantInput = {
    code: '112089',
    name: '所沢市',
    mailFrom: '所沢市 評価サイクル <hyoka@city.tokorozawa.example.jp>',
    contactName: '経営企画課',
    contactPhone: '04-2998-1111',
    prefecture: '110001',
    publicUrl: 'https://hyoka.city.tokorozawa.example.jp',
    email: 'it@city.tokorozawa.example.jp',
  };
  const failure = (input: Partial<TenantInput>) =>
    createTenant(owner, t.config, { ...TOKOROZAWA, ...input }).then(
      () => null,
      (error: unknown) => (error instanceof DomainError ? { kind: error.kind, field: error.details.field, message: error.message } : error),
    );
  const counts = () =>
    owner.query(
      `SELECT (SELECT count(*)::int FROM tenants) AS tenants, (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM audit_log) AS audit, (SELECT count(*)::int FROM rating_scales) AS scales`,
    );

  beforeAll(async () => {
    t = await createTestApp({ TENANCY: 'multi', MUNICIPALITY_NAME: '入間市', MUNICIPALITY_CODE: '112259', LOGIN_RATE_LIMIT: '100' });
    owner = new DataSource(migrationOptions(t.config));
    await owner.initialize();
    // Tenant 1 has its administrator (the installer's), staff and a plan: none of it may show in, or stop, the new one.
    expect(await runInTenant(1, () => createFirstAdministrator(owner, t.config))).not.toBeNull();
    await runInTenant(1, async () => {
      await build(t).user({ login: 'kacho', roles: ['chief'], name: '入間 課長' });
      await build(t).plan({ code: 'sougou', name: '入間市総合計画' });
    });
    const pref = await createTenant(owner, t.config, { code: '110001', name: '埼玉県' });
    prefectureId = pref.tenantId;
    expect(pref).toMatchObject({ created: true, admin: { login: 'admin' } });
  });
  afterAll(async () => {
    await owner?.destroy();
    await t?.close();
  });

  it('creates the row, the built-in scales and admin in the new tenant; admin signs in with the one-time password, changes it, and sees only that tenant', async () => {
    const made = await createTenant(owner, t.config, TOKOROZAWA);
    expect(made).toEqual({
      tenantId: expect.any(Number),
      code: '112089',
      name: '所沢市',
      created: true,
      admin: { login: 'admin', oneTimePassword: expect.stringMatching(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/) },
    });
    const id = made.tenantId;
    expect([1, prefectureId]).not.toContain(id);

    // The rows, read as the owner (past row-level security): every one in the new tenant.
    expect(
      await owner.query(`SELECT code, name, prefecture_id, mail_from, contact_name, contact_phone, contact_email, public_url FROM tenants WHERE id = $1`, [id]),
    ).toEqual([
      {
        code: '112089',
        name: '所沢市',
        prefecture_id: prefectureId,
        mail_from: TOKOROZAWA.mailFrom,
        contact_name: '経営企画課',
        contact_phone: '04-2998-1111',
        contact_email: null,
        public_url: 'https://hyoka.city.tokorozawa.example.jp',
      },
    ]);
    expect(await owner.query(`SELECT tenant_id, login, email, roles, password_change_required FROM users WHERE tenant_id <> 1 ORDER BY tenant_id`)).toEqual([
      { tenant_id: prefectureId, login: 'admin', email: '', roles: ['admin'], password_change_required: true },
      { tenant_id: id, login: 'admin', email: 'it@city.tokorozawa.example.jp', roles: ['admin'], password_change_required: true },
    ]);
    expect(await owner.query(`SELECT action, subject_type, actor_user_id FROM audit_log WHERE tenant_id = $1 ORDER BY id`, [id])).toEqual([
      { action: 'tenant.create', subject_type: 'tenant', actor_user_id: null },
      { action: 'user.create', subject_type: 'user', actor_user_id: null },
    ]);
    expect((await owner.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = 1 AND action = 'tenant.create'`))[0].n).toBe(0);

    // Over HTTP, as the municipality (X-Tenant): one-time password → forced change → its own, empty data.
    const as = (method: 'get' | 'post', path: string, token?: string) => {
      const call = t.http()[method](path).set('X-Tenant', '112089');
      return token ? call.set(bearer(token)) : call;
    };
    const signedIn = await as('post', '/api/auth/login').send({ login: 'admin', password: made.admin!.oneTimePassword }).expect(200);
    expect(signedIn.body).toMatchObject({ passwordChangeRequired: true, actor: { roles: ['admin'] } });
    expect((await as('get', '/api/org/users', signedIn.body.accessToken).expect(403)).body.error).toBe('password_change_required');
    await new Promise((r) => setTimeout(r, 1100));
    const changed = await as('post', '/api/auth/password', signedIn.body.accessToken)
      .send({ currentPassword: made.admin!.oneTimePassword, newPassword: 'Tokorozawa-Kanri-2024!' })
      .expect(200);
    const token = changed.body.accessToken;
    const users = (await as('get', '/api/org/users', token).expect(200)).body;
    expect(users.map((u: { login: string }) => u.login)).toEqual(['admin']);
    expect((await as('get', '/api/plans', token).expect(200)).body).toEqual([]);
    expect((await as('get', '/api/cycles', token).expect(200)).body).toEqual([]);
    const scales = (await as('get', '/api/scales', token).expect(200)).body;
    expect(scales.map((s: { code: string }) => s.code).sort()).toEqual(Object.keys(BUILTIN_SCALES).sort());
    expect((await as('get', '/api/org/tenant', token).expect(200)).body).toMatchObject({ code: '112089', name: '所沢市' });
    // Its token is not tenant 1's, and the one-time password is dead.
    await t.http().get('/api/org/users').set('X-Tenant', '112259').set(bearer(token)).expect(401);
    await as('post', '/api/auth/login').send({ login: 'admin', password: made.admin!.oneTimePassword }).expect(401);
  });

  it('the same command again changes nothing and says so; another name for the code is refused', async () => {
    const before = await counts();
    const again = await createTenant(owner, t.config, TOKOROZAWA);
    expect(again).toMatchObject({ code: '112089', created: false, admin: null });
    expect(await counts()).toEqual(before);

    const renamed = await failure({ name: '所沢市役所' });
    expect(renamed).toMatchObject({ kind: 'conflict', field: 'name', message: expect.stringContaining('団体名（--name）が登録内容と違います') });
    expect(await owner.query(`SELECT name FROM tenants WHERE code = '112089'`)).toEqual([{ name: '所沢市' }]);
    expect(await counts()).toEqual(before);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await counts();
    expect(await failure({ code: '131015' })).toMatchObject({
      kind: 'invalid',
      field: 'code',
      message: expect.stringMatching(/^--code: 地方公共団体コード 131015 の検査数字/),
    });
    expect(await failure({ code: '13101' })).toMatchObject({ field: 'code', message: expect.stringContaining('団体コードは6桁の数字') });
    expect(await failure({ code: '131016', name: ' ' })).toMatchObject({ field: 'name', message: '--name: 団体名を入力してください' });
    expect(await failure({ code: '131016', prefecture: '130001' })).toMatchObject({
      kind: 'not_found',
      field: 'prefecture',
      message: expect.stringContaining('所属する都道府県の団体コード 130001 の団体は登録されていません'),
    });
    expect(await failure({ code: '131016', prefecture: '112259' })).toMatchObject({
      field: 'prefecture',
      message: expect.stringContaining('都道府県のコードではありません'),
    });
    expect(await failure({ code: '131016', prefecture: '110001' })).toMatchObject({
      field: 'prefecture',
      message: expect.stringContaining('市区町村のコードではありません'),
    });
    expect(await failure({ code: '131016', prefecture: undefined, email: 'it@' })).toMatchObject({
      field: 'email',
      message: expect.stringContaining('最初の管理者のメールアドレス'),
    });
    expect(await failure({ code: '131016', prefecture: undefined, mailFrom: 'hyoka' })).toMatchObject({
      field: 'mailFrom',
      message: expect.stringContaining('メールの差出人'),
    });
    expect(await failure({ code: '131016', prefecture: undefined, publicUrl: 'hyoka.example.jp' })).toMatchObject({ field: 'publicUrl' });
    expect(await counts()).toEqual(before);
  });

  it('the command line (npm run tenant:create) prints the credential once on stdout, progress on stderr', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TS_NODE_PROJECT: 'tsconfig.json', TENANCY: 'multi' };
    for (const key of [
      'DB_HOST',
      'DB_PORT',
      'DB_USER',
      'DB_MIGRATION_USER',
      'DB_NAME',
      'REDIS_HOST',
      'REDIS_PORT',
      'QUEUE_PREFIX',
      'PASSWORD_SCRYPT_N',
    ] as const)
      env[key] = String(t.config[key]);
    if (t.config.DB_MIGRATION_PASSWORD) env.DB_MIGRATION_PASSWORD = t.config.DB_MIGRATION_PASSWORD;
    const run = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'libs/org/src/install/create-tenant.cli.ts',
        '--code',
        '131016',
        '--name',
        '千代田区',
      ],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    expect([run.status, run.stderr]).toEqual([0, expect.stringContaining('団体を登録しました / tenant created: 131016 千代田区')]);
    const printed = Object.fromEntries(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
    expect(printed).toEqual({
      TENANT_ID: expect.stringMatching(/^\d+$/),
      ADMIN_LOGIN: 'admin',
      ADMIN_ONE_TIME_PASSWORD: expect.stringMatching(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/),
    });
    expect(run.stderr).not.toContain(printed.ADMIN_ONE_TIME_PASSWORD);
    expect(await owner.query(`SELECT t.code, u.login FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE t.id = $1`, [Number(printed.TENANT_ID)])).toEqual([
      { code: '131016', login: 'admin' },
    ]);
  }, 60_000);
});
