import type { AddressInfo } from 'node:net';
import { build } from './utils/builder';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Load: N concurrent users submit, approve and return entries for a while, two staff and two
 * chiefs per section racing on the same entries. Short by default (20 users, ~10 s);
 * LONG_TESTS=1 runs 200 users for a minute.
 *
 * Asserted: no 5xx (nor a dropped connection), and no lost update: every 200 response's
 * resulting version and state is in entry_versions and has its audit row, the versions that
 * succeeded on an entry are distinct, and each entry's final version is its initial version
 * plus the number of successful transitions on it.
 */
const LONG = process.env.LONG_TESTS === '1';
const USERS = LONG ? 200 : 20;
const DURATION_MS = LONG ? 60_000 : 10_000;
const PER_SECTION = 4; // 2 staff + 2 chiefs
const ENTRIES_PER_SECTION = 25;

type Action = 'submit' | 'approve' | 'return';
interface Success {
  id: number;
  action: Action;
  version: number;
  state: string;
}

function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`load: ${USERS} concurrent users submitting and approving for ${DURATION_MS / 1000} s`, () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_SIZE: LONG ? '20' : '10' });
    // A real socket with keep-alive clients: supertest would open a server per request.
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  async function call(method: string, path: string, token: string | null, body?: unknown) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  it(
    'gives no 5xx and loses no update',
    async () => {
      const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);
      const sections = Math.ceil(USERS / PER_SECTION);
      const b = build(t);
      const dept = { id: await b.department({ code: 'load', name: '負荷試験部' }) };
      const plan = { id: await b.plan({ code: 'load', name: '負荷試験計画', kind: 'program' }) };
      const planning = { id: await b.user({ login: 'load-planning', name: '企画', email: 'p@example.jp', roles: ['planning'] }) };
      const planningToken = (await call('POST', '/api/auth/login', null, { login: 'load-planning', password: 'password' })).body.accessToken;
      const tpl = await call('POST', '/api/templates', planningToken, {
        code: 'load',
        name: '負荷試験',
        planId: plan.id,
        periodType: 'half_year',
        scaleCode: 'progress4',
      });
      expect(tpl.status).toBe(201);
      const cycle = await call('POST', '/api/cycles', planningToken, { templateId: tpl.body.id, periodKey: '2024-H1' });
      expect((await call('POST', `/api/cycles/${cycle.body.id}/actions`, planningToken, { action: 'open' })).status).toBe(200);
      expect(planning.id).toBeGreaterThan(0);

      const users: { login: string; role: 'staff' | 'chief'; sectionId: number; token?: string }[] = [];
      const entriesBySection = new Map<number, number[]>();
      for (let s = 0; s < sections; s++) {
        const section = { id: await b.section({ departmentId: dept.id, code: `ls${s}`, name: `負荷課${s}` }) };
        for (const role of ['staff', 'staff', 'chief', 'chief'] as const) {
          const login = `load-${role}-${s}-${users.length}`;
          await b.user({ login, section: section.id, roles: [role] });
          users.push({ login, role, sectionId: section.id });
        }
        const itemIds = await b.items({
          planId: plan.id,
          count: ENTRIES_PER_SECTION,
          firstNumber: (s + 1) * 100 + 1,
          title: '負荷試験項目',
          sections: [section.id],
        });
        entriesBySection.set(
          section.id,
          await b.entriesFor({ cycleId: cycle.body.id, itemIds, sectionId: section.id, state: 'draft', rating: null, progress: null }),
        );
      }
      for (const u of users.slice(0, USERS)) u.token = (await call('POST', '/api/auth/login', null, { login: u.login, password: 'password' })).body.accessToken;
      const allIds = [...entriesBySection.values()].flat();
      const initial = new Map<number, number>(
        (await q(`SELECT id, version FROM entries WHERE id = ANY($1)`, [allIds])).map((r: { id: number; version: number }) => [r.id, r.version]),
      );
      const [{ audits: auditsBefore }] = await q(`SELECT count(*)::int AS audits FROM audit_log WHERE subject_type = 'entry'`);
      expect(auditsBefore).toBe(0);

      const successes: Success[] = [];
      const statuses = new Map<number, number>();
      const serverErrors: string[] = [];
      const deadline = Date.now() + DURATION_MS;
      const record = (what: string, res: { status: number; body: any }) => {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) serverErrors.push(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      };

      const staffLoop = async (u: (typeof users)[number], rnd: () => number) => {
        const mine = entriesBySection.get(u.sectionId)!;
        while (Date.now() < deadline) {
          const id = mine[Math.floor(rnd() * mine.length)];
          const read = await call('GET', `/api/entries/${id}`, u.token!);
          record('read', read);
          const entry = read.body?.entry ?? read.body;
          if (read.status !== 200 || !['draft', 'returned'].includes(entry.state)) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            continue;
          }
          const res = await call('POST', `/api/entries/${id}/submit`, u.token!, {
            version: entry.version,
            rating: '○',
            progress: `負荷試験の進捗 ${Date.now()}`,
          });
          record('submit', res);
          if (res.status === 200) successes.push({ id, action: 'submit', version: res.body.version, state: res.body.state });
        }
      };
      const chiefLoop = async (u: (typeof users)[number], rnd: () => number) => {
        while (Date.now() < deadline) {
          const inbox = await call('GET', '/api/approvals/inbox', u.token!);
          record('inbox', inbox);
          const waiting = (inbox.body?.groups ?? []).flatMap((g: any) => g.sections.flatMap((s: any) => s.entries)) as { id: number; version: number }[];
          if (!waiting.length) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            continue;
          }
          const target = waiting[Math.floor(rnd() * waiting.length)];
          const action: Action = rnd() < 0.4 ? 'return' : 'approve';
          const body = action === 'return' ? { version: target.version, comment: '負荷試験の差戻し' } : { version: target.version };
          const res = await call('POST', `/api/entries/${target.id}/${action}`, u.token!, body);
          record(action, res);
          if (res.status === 200) successes.push({ id: target.id, action, version: res.body.version, state: res.body.state });
        }
      };

      const started = Date.now();
      await Promise.all(
        users.slice(0, USERS).map((u, i) => {
          const rnd = generator(1000 + i);
          return (u.role === 'staff' ? staffLoop(u, rnd) : chiefLoop(u, rnd)).catch((error: Error) => {
            serverErrors.push(`${u.login}: ${error.message}`);
          });
        }),
      );
      const elapsed = Date.now() - started;
      console.log(`load: ${USERS} users, ${elapsed} ms, ${successes.length} transitions, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);

      expect(serverErrors).toEqual([]);
      expect(successes.filter((s) => s.action === 'submit').length).toBeGreaterThan(0);
      expect(successes.filter((s) => s.action !== 'submit').length).toBeGreaterThan(0);
      // Only the expected refusals: conflicts of racing users (409), nothing else.
      expect([...statuses.keys()].filter((s) => ![200, 409].includes(s))).toEqual([]);

      const versions = await q(`SELECT entry_id AS id, version, state FROM entry_versions WHERE entry_id = ANY($1)`, [allIds]);
      const audits = await q(
        `SELECT subject_id::int AS id, action, (after->>'version')::int AS version, after->>'state' AS state
         FROM audit_log WHERE subject_type = 'entry' AND subject_id = ANY($1)`,
        [allIds.map(String)],
      );
      const key = (r: { id: number; version: number; state: string }) => `${r.id}:${r.version}:${r.state}`;
      const versionKeys = new Set(versions.map(key));
      const auditKeys = new Set(audits.map((a: Success) => `${key(a)}:${a.action}`));
      const missing = successes.filter((s) => !versionKeys.has(key(s)) || !auditKeys.has(`${key(s)}:entry.${s.action}`));
      expect(missing).toEqual([]);
      expect(audits).toHaveLength(successes.length);

      const perEntry = new Map<number, number[]>();
      for (const s of successes) perEntry.set(s.id, [...(perEntry.get(s.id) ?? []), s.version]);
      const finals = await q(`SELECT id, version FROM entries WHERE id = ANY($1)`, [allIds]);
      for (const f of finals as { id: number; version: number }[]) {
        const won = perEntry.get(f.id) ?? [];
        expect([f.id, new Set(won).size]).toEqual([f.id, won.length]);
        expect([f.id, f.version]).toEqual([f.id, initial.get(f.id)! + won.length]);
      }
    },
    DURATION_MS + 120_000,
  );
});
