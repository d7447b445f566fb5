import { INestApplication, LoggerService } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { SessionsService } from '@app/auth';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/bootstrap';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const BCRYPT = /\$2[aby]\$\d\d\$/;
/** Our stored form (libs/auth password-hash.ts): scrypt$N$r$p$salt$hash. */
const SCRYPT = /^scrypt\$\d+\$\d+\$\d+\$[\w-]{22}\$[\w-]{43}$/;
const HASH = /\$2[aby]\$\d\d\$|scrypt\$\d+\$/;

/** Records every line any Nest logger writes, at every level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private add =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      this.lines.push(`${level} ${[message, ...rest].map((x) => (x instanceof Error ? x.stack : typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}`);
    };
  log = this.add('log');
  error = this.add('error');
  warn = this.add('warn');
  debug = this.add('debug');
  verbose = this.add('verbose');
  fatal = this.add('fatal');
}

describe('security: headers, password hashes, logs, tokens, audit log', () => {
  let t: TestApp;
  let f: CycleFixture;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
  });
  afterAll(() => t?.close());

  describe('the API document in production', () => {
    it('is not served by a production install unless API_DOCS=public', async () => {
      const secret = 'a-production-signing-key-that-is-long-enough-0123456789';
      const prod = await createTestApp({ NODE_ENV: 'production', JWT_SECRET: secret });
      try {
        await prod.http().get('/api/docs-json').expect(404);
        await prod.http().get('/api/docs').expect(404);
      } finally {
        await prod.close();
      }
      const published = await createTestApp({ NODE_ENV: 'production', JWT_SECRET: secret, API_DOCS: 'public' });
      try {
        await published.http().get('/api/docs-json').expect(200);
      } finally {
        await published.close();
      }
    });
  });

  describe('caching, paging and dates', () => {
    it('answers authenticated api calls with Cache-Control: no-store', async () => {
      const me = await t.http().get('/api/auth/me').set(bearer(admin.token)).expect(200);
      expect(me.headers['cache-control']).toBe('no-store');
      const refused = await t.http().get('/api/auth/me').expect(401);
      expect(refused.headers['cache-control']).toBe('no-store');
    });

    it('refuses a page number past the bound and a day that does not exist, naming the field', async () => {
      const page = await t.http().get('/api/cycles/1/entries?page=1e20').set(bearer(admin.token)).expect(400);
      expect(page.body.field).toBe('page');
      const day = await t.http().get('/api/cycles/1/completeness?asOf=2019-02-30').set(bearer(admin.token)).expect(400);
      expect(day.body).toMatchObject({ field: 'asOf', message: expect.stringContaining('実在する日付') });
      await t.http().get('/api/cycles/1/completeness?asOf=2024-02-29').set(bearer(admin.token)).expect(404);
    });
  });

  describe('HTTP headers (helmet)', () => {
    it.each([
      ['a 200 JSON response', '/api/auth/me', true],
      ['a 401 error', '/api/auth/me', false],
      ['the health check', '/health', false],
      ['the API document', '/api/docs-json', false],
    ])('sets the protective headers on %s', async (_name, path, authed) => {
      const call = t.http().get(path);
      const res = await (authed ? call.set(bearer(admin.token)) : call);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    });
  });

  describe('passwords', () => {
    it('stores every password as a hash: scrypt when set through the api or after a sign-in, bcrypt only for fixtures never signed in with', async () => {
      await t
        .http()
        .post('/api/org/users')
        .set(bearer(admin.token))
        .send({ login: 'via-api', name: '経由', email: 'via-api@example.jp', roles: ['staff'], password: 'Plain-Text-9' })
        .expect(201);
      const rows: { login: string; password_hash: string }[] = await t.db.query(`SELECT login, password_hash FROM users`);
      expect(rows.length).toBeGreaterThan(5);
      for (const r of rows) expect([r.login, SCRYPT.test(r.password_hash) || BCRYPT.test(r.password_hash)]).toEqual([r.login, true]);
      const byLogin = new Map(rows.map((r) => [r.login, r.password_hash]));
      expect(byLogin.get('via-api')).toMatch(SCRYPT);
      expect(byLogin.get('admin')).toMatch(SCRYPT); // signed in: upgraded
      expect(rows.map((r) => r.password_hash).join()).not.toContain('Plain-Text-9');
    });

    it('never returns a hash or a password field from any GET of the API, for any role', async () => {
      const doc = (await t.http().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
      const ids: Record<string, number> = { id: f.users.staffA.id, planId: f.planId, cycleId: 1, templateId: 1 };
      const gets = Object.entries(doc.paths)
        .filter(([, ops]) => 'get' in ops)
        .map(([path]) => path);
      const leaks: string[] = [];
      for (const token of [admin.token, f.users.planning.token, f.users.staffA.token]) {
        for (const template of gets) {
          for (const id of template.includes('users') ? [f.users.staffA.id, admin.id] : [ids.id]) {
            const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => String(name === 'id' ? id : (ids[name] ?? id)));
            const res = await t
              .http()
              .get(path)
              .set(bearer(token))
              .buffer(true)
              .parse((r, cb) => {
                let text = '';
                r.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
                r.on('end', () => cb(null, text));
              });
            const text = String(res.body);
            // A field named password (a session's sign-in method "password" is a value, not a field).
            if (HASH.test(text) || /"password(Hash|_hash)?"\s*:/i.test(text)) leaks.push(`${path}: ${res.status}`);
          }
        }
      }
      const loginRes = await t.http().post('/api/auth/login').send({ login: 'admin', password: 'password' }).expect(200);
      // A password field or the password itself; the passwordChangeRequired flag is neither.
      if (HASH.test(JSON.stringify(loginRes.body)) || /"password(Hash|_hash)?":|:"password"/i.test(JSON.stringify(loginRes.body))) leaks.push('login');
      expect(leaks).toEqual([]);
    }, 60_000);
  });

  describe('logs', () => {
    let app: INestApplication;
    const logger = new CapturingLogger();
    const printed: string[] = [];

    beforeAll(async () => {
      // The same api, logging at every level into memory.
      const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ ...t.config, LOG_LEVEL: 'verbose' } as typeof t.config)] }).compile();
      app = moduleRef.createNestApplication({ logger });
      configureApp(app);
      await app.init();
    });
    afterAll(() => app?.close());

    it('never contains a password, a token or the JWT secret after logins and failing requests', async () => {
      const secretPassword = 'Sup3r-Secret-Passw0rd';
      const http = () => request(app.getHttpServer());
      const originalOut = process.stdout.write.bind(process.stdout);
      const originalErr = process.stderr.write.bind(process.stderr);
      const tap = (original: typeof process.stdout.write) =>
        ((chunk: unknown, ...rest: unknown[]) => {
          printed.push(String(chunk));
          return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
        }) as typeof process.stdout.write;
      process.stdout.write = tap(originalOut);
      process.stderr.write = tap(originalErr);
      let token: string;
      try {
        token = (await http().post('/api/auth/login').send({ login: 'admin', password: 'password' }).expect(200)).body.accessToken;
        await http().post('/api/auth/login').send({ login: 'admin', password: secretPassword }).expect(401);
        await http().post('/api/auth/login').send({ login: 'nobody', password: secretPassword }).expect(401);
        await http().post('/api/auth/login').set('content-type', 'application/json').send(`{"login":"admin","password":"${secretPassword}"`).expect(400);
        await http().post('/api/auth/login').send({ login: 'admin', password: secretPassword, extra: 1 }).expect(400);
        await http()
          .get('/api/auth/me')
          .set(bearer(`${token}x`))
          .expect(401);
        await http().get('/api/org/users/abc').set(bearer(token)).expect(400);
        await http()
          .post('/api/org/users')
          .set(bearer(token))
          .send({ login: 'new-one', name: 'n', email: 'bad', roles: ['staff'], password: secretPassword })
          .expect(400);
      } finally {
        process.stdout.write = originalOut;
        process.stderr.write = originalErr;
      }
      // The capture works: Nest logged its routes at start-up through it.
      expect(logger.lines.some((l) => l.includes('/api/auth/login'))).toBe(true);
      // Each request has its access line: method, path, status, user, and the id the response carried.
      const answered = await http().get('/api/auth/me?probe=1').set(bearer(token!)).set('X-Request-Id', 'support-case-42').expect(200);
      expect(answered.headers['x-request-id']).toBe('support-case-42');
      const forged = await http().get('/api/auth/me').set(bearer(token!)).set('X-Request-Id', 'x" POST /api/fake 200 id=forged').expect(200);
      expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(logger.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^log GET \/api\/auth\/me 200 [\d.]+ms user=\d+ id=support-case-42 http$/)]));
      expect(logger.lines.some((l) => l.includes('POST /api/auth/login 401') && /user=- id=[0-9a-f-]{36} http$/.test(l))).toBe(true);
      expect(logger.lines.join('\n')).not.toContain('probe=1');
      const all = [...logger.lines, ...printed].join('\n');
      expect(all).not.toContain(secretPassword);
      expect(all).not.toContain(token!);
      expect(all).not.toContain(token!.split('.')[2]);
      expect(all).not.toContain(t.config.JWT_SECRET);
      expect(all).not.toMatch(HASH);
    });
  });

  describe('tokens', () => {
    const sign = (payload: object, secret = t.config.JWT_SECRET, options: object = {}) => new JwtService({ secret }).sign(payload, options);
    const me = (token: string) => t.http().get('/api/auth/me').set(bearer(token));
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('accepts a token signed with the secret, for a live session of its user', async () => {
      // A session as a sign-in opens it (SessionsService); the test signs its own tokens for it.
      const opened = await t.app.get(SessionsService).open(f.users.staffA.id, 'password');
      const session = { id: new JwtService({}).decode<{ sid: string }>(opened).sid };
      await me(sign({ sub: f.users.staffA.id, sid: session.id })).expect(200);
      // The same session under another user's id: refused.
      await me(sign({ sub: admin.id, sid: session.id })).expect(401);
    });

    it.each([
      ['a wrong signature', () => sign({ sub: f.users.staffA.id }, 'another-secret-of-sufficient-length')],
      ['an expired token', () => sign({ sub: f.users.staffA.id, exp: Math.floor(Date.now() / 1000) - 5 })],
      ['a token not yet valid', () => sign({ sub: f.users.staffA.id }, undefined, { notBefore: 3600 })],
      ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: f.users.staffA.id })}.`],
      [
        'a payload swapped under a valid signature',
        () => {
          const [header, , signature] = sign({ sub: f.users.staffA.id }).split('.');
          return `${header}.${b64({ sub: admin.id })}.${signature}`;
        },
      ],
      ['an unknown user', () => sign({ sub: 987654 })],
      ['garbage', () => 'not-a-jwt'],
    ])('refuses %s with 401', async (_name, token) => {
      const res = await me(token()).expect(401);
      expect(res.body.message).toMatch(/ログイン|ユーザー/);
    });

    it('refuses the token of a user deactivated after login, at once', async () => {
      const user = await userWithToken(t, { login: 'leaver', roles: ['staff'], sectionId: f.sections.a });
      await me(user.token).expect(200);
      await t.http().delete(`/api/org/users/${user.id}`).set(bearer(admin.token)).expect(200);
      await me(user.token).expect(401);
      await t.http().post('/api/auth/login').send({ login: 'leaver', password: 'password' }).expect(401);
    });

    it('applies a role removed after login at once', async () => {
      const user = await userWithToken(t, { login: 'demoted', roles: ['admin'] });
      await t.http().get('/api/org/users').set(bearer(user.token)).expect(200);
      await t.db.query(`UPDATE users SET roles = '{staff}' WHERE id = $1`, [user.id]);
      await t.http().get('/api/org/users').set(bearer(user.token)).expect(403);
    });
  });

  describe('audit log', () => {
    it('cannot be altered or removed through the application database role', async () => {
      await t.http().post('/api/plans').set(bearer(admin.token)).send({ code: 'audited', name: '監査対象', kind: 'program' }).expect(201);
      const [row] = await t.db.query(`SELECT id FROM audit_log ORDER BY id DESC LIMIT 1`);
      expect(row).toBeDefined();
      const [{ current_user: role }] = await t.db.query(`SELECT current_user`);
      expect(role).toBe(t.config.DB_USER);
      await expect(t.db.query(`UPDATE audit_log SET comment = 'x' WHERE id = $1`, [row.id])).rejects.toThrow(/permission denied/);
      await expect(t.db.query(`DELETE FROM audit_log WHERE id = $1`, [row.id])).rejects.toThrow(/permission denied/);
      await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied/);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE id = $1 AND comment IS DISTINCT FROM 'x'`, [row.id]);
      expect(n).toBe(1);
    });
  });
});
