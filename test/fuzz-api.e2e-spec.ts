import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Fuzzes every write operation (POST/PUT/PATCH/DELETE) of the OpenAPI document, so a new
 * endpoint is fuzzed without touching this file. Bodies start from an example built from the
 * operation's schema and are mutated field by field (wrong types, arrays for objects, nulls,
 * huge strings, odd numbers, unicode edge cases, unknown fields) or replaced whole (malformed
 * JSON, arrays, scalars, prototype pollution); path ids are replaced by 0, -1, 'abc', 2^40...
 *
 * For every request: never a 5xx; a 4xx has a message and, when a body field is at fault,
 * names it; and a refused request stored nothing (a checksum of every table's content,
 * audit_log included, is unchanged). Deterministic (seeded) and bounded.
 */

const SEED = 20241101;
const MUTATIONS_PER_OPERATION = 45;
const HUGE = 'あ'.repeat(350_000); // ~1 MB of UTF-8: over the body limit
const LARGE = 'x'.repeat(100_000); // under the body limit, over every field's length limit

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

/** Values that replace one field. */
const FIELD_VALUES: [string, unknown][] = [
  ['null', null],
  ['empty string', ''],
  ['number for string', 12345],
  ['string for number', '１２３'],
  ['numeric string', '123'],
  ['boolean', true],
  ['string boolean', 'true'],
  ['array', [1, 'a', null]],
  ['array of objects', [{ a: 1 }]],
  ['object', { nested: { deep: [1, 2, 3] } }],
  ['empty object', {}],
  ['negative', -1],
  ['zero', 0],
  ['float', 1.5],
  ['huge number', 2 ** 40],
  ['beyond safe integer', 2 ** 53 + 1],
  ['1e308', 1e308],
  ['large string', LARGE],
  ['full-width digits', '１２３'],
  ['half-width kana', 'ｶﾀｶﾅ'],
  ['emoji', '😀👨‍👩‍👧‍👦'],
  ['NUL', 'a\u0000b'],
  ['lone surrogate', 'a\ud800b'],
  ['RTL override', '\u202eabc\u200f'],
  ['combining marks', 'e\u0301\u0301\u0301'],
  ['date-like garbage', '2024-02-30'],
  ['era date', '令和6年4月1日'],
  ['whitespace', ' \t\n '],
  ['sql', "1' OR '1'='1"],
  ['html', '<script>alert(1)</script>'],
];

/** Whole bodies replacing the request body. `raw` ones are sent as text with a JSON content type. */
const BODIES: { name: string; raw?: string; value?: unknown; type?: string }[] = [
  { name: 'malformed: truncated', raw: '{"a":' },
  { name: 'malformed: trailing brace', raw: '{"a":1}}' },
  { name: 'malformed: single quotes', raw: "{'a':1}" },
  { name: 'malformed: NUL byte', raw: '\u0000' },
  { name: 'malformed: bare word', raw: 'nul' },
  { name: 'top-level string', raw: '"text"' },
  { name: 'top-level number', raw: '123' },
  { name: 'top-level null', raw: 'null' },
  { name: 'top-level array', value: [{ a: 1 }] },
  { name: 'empty object', value: {} },
  { name: 'prototype pollution', raw: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}' },
  { name: 'deep nesting', raw: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` },
  { name: 'huge body', value: { filler: HUGE } },
  { name: 'text/plain body', raw: '{"a":1}', type: 'text/plain' },
  { name: 'form body', raw: 'a=1&b[c]=2', type: 'application/x-www-form-urlencoded' },
  { name: 'wrong charset', raw: '{"a":1}', type: 'application/json; charset=latin-9' },
];

const BAD_IDS = ['0', '-1', 'abc', String(2 ** 40), '1.5', '1e3', '%EF%BC%91%EF%BC%92%EF%BC%93', '%F0%9F%98%80', "1'OR'1'='1", '99999999999999999999', '%00'];

type Schema = {
  type?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  nullable?: boolean;
};
interface Operation {
  method: 'post' | 'put' | 'patch' | 'delete';
  path: string;
  bodySchema?: Schema;
  json: boolean;
}

const TABLES = [
  'audit_log',
  'cycle_templates',
  'cycles',
  'delegations',
  'departments',
  'entries',
  'entry_versions',
  'plan_item_kpis',
  'plan_item_sections',
  'plan_items',
  'plans',
  'rating_scales',
  'reminder_mails',
  'reminder_slots',
  'review_waits',
  'section_names',
  'sections',
  'users',
];

describe('fuzz: every write endpoint of the OpenAPI document', () => {
  let t: TestApp;
  let f: CycleFixture;
  let admin: { id: number; token: string };
  let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
  let ids: Record<string, number>;
  const failures: string[] = [];
  let requests = 0;
  let lastSnapshot = '';

  beforeAll(async () => {
    // A wrong current password, sent many times over, would lock the account (audited and mailed: a
    // refusal that rightly stores something); the lockout has its own suites.
    t = await createTestApp({ ACCOUNT_LOCKOUT_ATTEMPTS: '100000' });
    f = await createCycleFixture(t);
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
    const auth = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'fuzz', name: '試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, periodKey: '2024-H1' }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(auth).send({ action: 'open' }).expect(200);
    const [entry] = await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND section_id = $2 ORDER BY id LIMIT 1`, [cycle.body.id, f.sections.a]);
    ids = {
      cycle: cycle.body.id,
      template: tpl.body.id,
      entry: entry.id,
      item: f.items[1],
      plan: f.planId,
      section: f.sections.b,
      department: f.departmentId,
      user: f.users.staffA.id,
    };
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
    lastSnapshot = await snapshot();
  });
  afterAll(() => t?.close());

  /** One checksum over the content of every table: any stored change alters it. */
  async function snapshot(): Promise<string> {
    const parts = TABLES.map((name) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${name} x)`);
    const [row] = await t.db.query(`SELECT concat_ws(',', ${parts.join(', ')}) AS s`);
    return row.s;
  }

  function writeOperations(): Operation[] {
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => {
          const content = op.requestBody?.content ?? {};
          return { method: method as Operation['method'], path, bodySchema: content['application/json']?.schema, json: !content['multipart/form-data'] };
        }),
    );
  }

  function resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length) return resolve(schema.allOf[0]);
    return schema;
  }

  /** A plausible value for a schema: its example, its first enum value, or one of its type. */
  function example(schema: Schema | undefined, depth = 0, key = ''): unknown {
    const s = resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.enum?.length) return s.enum[0];
    // Nullable scalars (string | null, number | null) are documented as bare objects.
    if (s.type === 'object' && !s.properties && s.nullable) return /Id$|Yen$/.test(key) ? 1 : '試験';
    if (s.properties || s.type === 'object') {
      if (depth > 3) return {};
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v, depth + 1, k)]));
    }
    switch (s.type) {
      case 'array':
        return depth > 3 ? [] : [example(s.items, depth + 1)];
      case 'number':
      case 'integer':
        return 1;
      case 'boolean':
        return true;
      default:
        return '試験';
    }
  }

  /** The actor who gets furthest into each operation (past role guards and section checks). */
  function tokenFor(op: Operation): string {
    if (op.path.startsWith('/api/org/users')) return admin.token;
    if (/\/entries\/\{id\}(\/submit|\/withdraw)?$/.test(op.path)) return f.users.staffA.token;
    if (/\/entries\/\{id\}\/(approve|return)$/.test(op.path)) return f.users.chiefA.token;
    return f.users.planning.token;
  }

  /** Real fixture ids for path parameters, so body validation and services are reached. */
  function realPath(op: Operation): string {
    return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (name === 'cycleId') return String(ids.cycle);
      if (name === 'planId') return String(ids.plan);
      if (name === 'templateId') return String(ids.template);
      const base = op.path.split('/')[2];
      const byBase: Record<string, number> = {
        entries: ids.entry,
        items: ids.item,
        templates: ids.template,
        cycles: ids.cycle,
        plans: ids.plan,
        delegations: 1,
        reminders: 1,
      };
      if (op.path.startsWith('/api/org/sections')) return String(ids.section);
      if (op.path.startsWith('/api/org/departments')) return String(ids.department);
      if (op.path.startsWith('/api/org/users')) return String(ids.user);
      return String(byBase[base] ?? 1);
    });
  }

  function fieldsNamed(op: Operation, text: string): string[] {
    return Object.keys(resolve(op.bodySchema).properties ?? {}).filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  }

  async function send(
    op: Operation,
    path: string,
    label: string,
    body: { value?: unknown; raw?: string; type?: string } | undefined,
    faultField?: string,
    baseText?: string,
  ) {
    requests++;
    const http = t.http();
    let call = http[op.method](path).set(bearer(tokenFor(op)));
    if (body?.raw !== undefined) call = call.set('Content-Type', body.type ?? 'application/json').send(body.raw);
    else if (body && body.value !== undefined) call = call.send(body.value as object);
    const res = await call;
    const where = `${op.method.toUpperCase()} ${op.path} [${label}] -> ${res.status}`;
    const text = JSON.stringify(res.body ?? '');
    if (res.status >= 500) failures.push(`${where}: ${text.slice(0, 300)}`);
    if (res.status >= 400) {
      const message = res.body?.message;
      if (!(typeof message === 'string' ? message.length > 0 : Array.isArray(message) && message.length > 0)) {
        failures.push(`${where}: no message in ${text.slice(0, 200)}`);
      }
      // A field-level mutation refused for a new reason must say which field. It may name another
      // one (the example body is not always valid, or the mutation fixed one fault and uncovered
      // the next), but a refusal naming no field at all leaves the user guessing.
      if (faultField && [400, 422].includes(res.status) && !text.includes(faultField) && text !== baseText && fieldsNamed(op, text).length === 0) {
        failures.push(`${where}: names no field (mutated ${faultField}): ${text.slice(0, 300)}`);
      }
      const now = await snapshot();
      if (now !== lastSnapshot) failures.push(`${where}: refused but stored something`);
      lastSnapshot = now;
    } else {
      lastSnapshot = await snapshot();
    }
    return { status: res.status, text };
  }

  it('never answers 5xx, always explains a 4xx, names the faulty field and stores nothing for refused requests', async () => {
    const started = Date.now();
    const rnd = generator(SEED);
    const ops = writeOperations();
    expect(ops.length).toBeGreaterThan(25);
    for (const op of ops) {
      const path = realPath(op);
      // Bad path ids, on every operation with one (never a real id for DELETE: that would just delete).
      if (op.path.includes('{')) {
        for (const bad of BAD_IDS) {
          const badPath = op.path.replace(/\{(\w+)\}/, bad).replace(/\{(\w+)\}/g, '1');
          await send(op, badPath, `path id ${bad}`, op.bodySchema ? { value: example(op.bodySchema) } : undefined);
        }
      }
      if (op.method === 'delete' || !op.bodySchema) {
        if (!op.json) await send(op, path, 'json to a multipart route', { value: { file: 'x' } });
        continue;
      }
      for (const body of BODIES) await send(op, path, body.name, body);
      const base = example(op.bodySchema) as Record<string, unknown>;
      const baseResult = await send(op, path, 'schema example', { value: base });
      const fields = Object.keys(resolve(op.bodySchema).properties ?? {});
      const combos = [...fields.flatMap((field) => FIELD_VALUES.map((v) => [field, v] as const))];
      for (let i = 0; i < MUTATIONS_PER_OPERATION && combos.length; i++) {
        const [field, [name, value]] = combos.splice(Math.floor(rnd.next() * combos.length), 1)[0];
        await send(op, path, `${field} = ${name}`, { value: { ...base, [field]: value } }, field, baseResult.text);
      }
      for (const field of fields) {
        const nested = resolve(resolve(op.bodySchema).properties![field]);
        if (nested.items || nested.properties || nested.$ref) {
          // Arrays for objects and objects for arrays, one level down.
          const inner = nested.items ? { ...(example(nested.items) as object), unexpected: 1 } : [example(nested)];
          await send(op, path, `${field} shape swapped`, { value: { ...base, [field]: nested.items ? [inner, null, 'x'] : inner } }, field, baseResult.text);
        }
      }
      await send(op, path, 'unknown field', { value: { ...base, notAField: rnd.pick(FIELD_VALUES)[1] } }, 'notAField', baseResult.text);
      await send(op, path, 'unknown nested field', { value: { ...base, ['__proto__']: { isAdmin: true } } });
    }
    expect(({} as { polluted?: unknown; isAdmin?: unknown }).polluted).toBeUndefined();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    console.log(`fuzz: ${requests} requests over ${ops.length} write operations in ${Date.now() - started} ms (seed ${SEED})`);
    expect(failures).toEqual([]);
  }, 120_000);

  it('answers an over-limit body with 413 and a clear message', async () => {
    const res = await t.http().post('/api/plans').set(bearer(f.users.planning.token)).send({ code: 'big', name: HUGE, kind: 'program' });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/大きすぎます/);
    const malformed = await t.http().post('/api/plans').set(bearer(f.users.planning.token)).set('Content-Type', 'application/json').send('{"code":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/JSON/);
  });
});
