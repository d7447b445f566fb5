import { tokyoToday } from '@app/domain';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { contractOf, errorContractOf } from './utils/openapi-contract';
import { createTestApp, TestApp } from './utils/test-app';

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The typed contract says what the API answers: a cycle is run from opening to acceptance, and
 * every JSON answer on the way is checked against openapi.json (the document the web's types
 * are generated from) — required properties present with their types, nothing undescribed.
 */
describe('API answers match the OpenAPI document', () => {
  let t: TestApp;
  let f: CycleFixture;
  let admin: { id: number; token: string };
  const problems: string[] = [];

  /** Calls the API as `token`, expects `status`, records what disagrees with openapi.json. */
  async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token: string, status: number, body?: object) {
    const req = t.http()[method.toLowerCase() as 'get'](url).set(bearer(token));
    const res = await (body ? req.send(body) : req);
    if (res.status !== status) throw new Error(`${method} ${url}: ${res.status}, not ${status}: ${JSON.stringify(res.body)}`);
    problems.push(...contractOf(method, url, res));
    return res.body;
  }

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
  });
  afterAll(() => t?.close());

  it('from a template to an accepted entry, with the lists, reports and administration on the way', async () => {
    const planning = f.users.planning.token;
    const staff = f.users.staffA.token;
    const chief = f.users.chiefA.token;
    const evaluator = f.users.evaluator.token;

    await call('GET', '/api/auth/me', staff, 200);
    await call('GET', '/api/auth/sessions', staff, 200);
    await call('GET', '/api/system-info', staff, 200);
    await call('GET', '/api/org/departments', staff, 200);
    await call('GET', `/api/org/departments/${f.departmentId}`, staff, 200);
    await call('GET', '/api/org/sections', staff, 200);
    await call('GET', `/api/org/sections/${f.sections.a}`, staff, 200);
    await call('GET', '/api/org/users/directory', staff, 200);
    await call('GET', '/api/org/users', planning, 200);
    await call('GET', `/api/org/users/${f.users.staffA.id}`, planning, 200);
    await call('GET', `/api/org/users/${f.users.staffA.id}/sessions`, admin.token, 200);
    await call('GET', '/api/plans', planning, 200);
    await call('GET', `/api/plans/${f.planId}`, planning, 200);
    await call('GET', `/api/plans/${f.planId}/items`, planning, 200);
    await call('GET', `/api/items/${f.items[0]}`, planning, 200);
    await call('GET', '/api/scales', planning, 200);

    const template = await call('POST', '/api/templates', planning, 201, {
      code: 'contract',
      name: '契約',
      planId: f.planId,
      periodType: 'half_year',
      scaleCode: 'progress4',
    });
    await call('GET', '/api/templates', planning, 200);
    await call('GET', `/api/templates/${template.id}`, planning, 200);
    const cycle = await call('POST', '/api/cycles', planning, 201, { templateId: template.id, periodKey: '2024-H1' });
    await call('GET', `/api/cycles/${cycle.id}`, planning, 200);
    await call('POST', `/api/cycles/${cycle.id}/actions`, planning, 200, { action: 'open' });
    await call('GET', '/api/cycles', planning, 200);

    const mine = await call('GET', '/api/entries/mine', staff, 200);
    const entry = mine.find((e: { itemId: number }) => e.itemId === f.items[1]);
    await call('GET', `/api/cycles/${cycle.id}/entries`, planning, 200);
    await call('GET', `/api/entries/${entry.id}`, staff, 200);
    await call('GET', `/api/entries/${entry.id}/actions`, staff, 200);
    const saved = await call('PUT', `/api/entries/${entry.id}`, staff, 200, { version: entry.version, rating: '○', progress: '計画どおり' });
    const submitted = await call('POST', `/api/entries/${entry.id}/submit`, staff, 200, { version: saved.version });
    await call('GET', '/api/approvals/inbox', chief, 200);
    await call('GET', `/api/entries/${entry.id}/diff`, chief, 200);
    const approved = await call('POST', `/api/entries/${entry.id}/approve`, chief, 200, { version: submitted.version });
    await call('POST', '/api/approvals/bulk-approve', evaluator, 200, { items: [{ id: entry.id, version: approved.version }] });
    await call('GET', `/api/entries/${entry.id}`, staff, 200);
    await call('GET', `/api/entries/${entry.id}/history`, staff, 200);
    await call('GET', `/api/templates/${template.id}/matrix`, planning, 200);

    await call('GET', `/api/cycles/${cycle.id}/completeness`, planning, 200);
    await call('GET', `/api/cycles/${cycle.id}/summary`, planning, 200);
    await call('GET', `/api/templates/${template.id}/year-over-year`, planning, 200);
    await call('GET', `/api/cycles/${cycle.id}/reminders`, planning, 200);
    await call('GET', '/api/reminders/mine', staff, 200);

    const today = tokyoToday();
    const delegation = await call('POST', '/api/delegations', evaluator, 201, {
      fromUserId: f.users.evaluator.id,
      toUserId: f.users.planning.id,
      startsOn: today,
      endsOn: addDays(today, 3),
    });
    await call('GET', '/api/delegations', evaluator, 200);
    await call('DELETE', `/api/delegations/${delegation.id}`, evaluator, 200);

    await call('GET', '/api/audit/verify', admin.token, 200);

    // Errors, whoever raises them, in the one shape: a domain error, validation, an unknown route, a pipe.
    await call('GET', '/api/entries/999999', planning, 404);
    await call('PUT', `/api/entries/${entry.id}`, staff, 400, { version: 'x' });
    const noRoute = await t.http().get('/api/no-such-route').set(bearer(staff)).expect(404);
    problems.push(...errorContractOf(noRoute));
    expect(noRoute.body).toMatchObject({ error: 'not_found', detail: 'Cannot GET /api/no-such-route' });
    const unknown = await call('GET', '/api/org/users?sectionId=abc', planning, 400);
    expect(unknown).toMatchObject({ statusCode: 400, error: 'bad_request', message: '入力内容が正しくありません' });
    expect(problems).toEqual([]);
  });
  it('the writes: organisation, users, plans and items, the rest of the workflow, publication', async () => {
    const planning = f.users.planning.token;
    const staff = f.users.staffA.token;
    const chief = f.users.chiefA.token;
    const evaluator = f.users.evaluator.token;

    const dept = await call('POST', '/api/org/departments', planning, 201, { code: 'd-c', name: '総務部' });
    await call('PATCH', `/api/org/departments/${dept.id}`, planning, 200, { name: '総務局' });
    const spare = await call('POST', '/api/org/departments', planning, 201, { code: 'd-spare', name: '予備部' });
    await call('DELETE', `/api/org/departments/${spare.id}`, planning, 204);
    const s1 = await call('POST', '/api/org/sections', planning, 201, { departmentId: dept.id, code: 's1', name: '総務課', validFrom: '2021-04-01' });
    const s2 = await call('POST', '/api/org/sections', planning, 201, { departmentId: dept.id, code: 's2', name: '人事課', validFrom: '2021-04-01' });
    await call('PATCH', `/api/org/sections/${s1.id}`, planning, 200, { code: 's1x' });
    await call('POST', `/api/org/sections/${s1.id}/rename`, planning, 200, { name: '総務文書課', effectiveFrom: '2022-04-01' });
    await call('POST', `/api/org/sections/${s2.id}/merge`, planning, 200, { intoSectionId: s1.id, effectiveFrom: '2024-04-01' });
    const s3 = await call('POST', '/api/org/sections', planning, 201, { departmentId: dept.id, code: 's3', name: '廃止課' });
    await call('DELETE', `/api/org/sections/${s3.id}`, planning, 200);

    const user = await call('POST', '/api/org/users', admin.token, 201, {
      login: 'contract-user',
      name: '契約 職員',
      email: 'contract-user@example.jp',
      sectionId: s1.id,
      roles: ['staff'],
      password: 'Contract-Passw0rd',
    });
    await call('PATCH', `/api/org/users/${user.id}`, admin.token, 200, { name: '契約 職員2' });
    await call('POST', `/api/org/users/${user.id}/unlock`, admin.token, 200);
    await call('DELETE', `/api/org/users/${user.id}/sessions`, admin.token, 200);
    await call('DELETE', `/api/org/users/${user.id}`, admin.token, 200);
    const login = await t.http().post('/api/auth/login').send({ login: 'chief-b', password: 'password' }).expect(200);
    problems.push(...contractOf('POST', '/api/auth/login', login));
    await call('POST', '/api/auth/sessions/end-others', login.body.accessToken, 200);
    await call('POST', '/api/auth/logout', login.body.accessToken, 204);
    const oidc = await t.http().get('/api/auth/oidc').expect(200);
    problems.push(...contractOf('GET', '/api/auth/oidc', oidc));

    const plan = await call('POST', '/api/plans', planning, 201, { code: 'contract-plan', name: '契約計画', kind: 'program' });
    await call('PATCH', `/api/plans/${plan.id}`, planning, 200, { name: '契約計画2' });
    const item = await call('POST', `/api/plans/${plan.id}/items`, planning, 201, { number: 1, title: '文書管理', sections: [{ sectionId: s1.id }] });
    await call('PATCH', `/api/items/${item.id}`, planning, 200, { version: item.version, title: '文書管理の電子化' });
    await call('DELETE', `/api/items/${item.id}`, planning, 204);
    await call('DELETE', `/api/plans/${plan.id}`, planning, 204);

    const scale = await call('POST', '/api/scales', planning, 201, {
      code: 'contract3',
      name: '三段階',
      options: [
        { value: 'A', symbol: 'A', label: '順調', ordinal: 1 },
        { value: 'B', symbol: 'B', label: '遅れ', ordinal: 2 },
      ],
      reasonRequiredFor: ['B'],
    });
    const template = await call('POST', '/api/templates', planning, 201, {
      code: 'contract-w',
      name: '契約（書込）',
      planId: f.planId,
      periodType: 'half_year',
      scaleCode: 'progress4',
    });
    await call('PATCH', `/api/templates/${template.id}`, planning, 200, { version: template.version, name: '契約（書込）改' });
    expect(scale.code).toBe('contract3');
    const cycle = await call('POST', '/api/cycles', planning, 201, { templateId: template.id, periodKey: '2025-H1' });
    await call('POST', `/api/cycles/${cycle.id}/actions`, planning, 200, { action: 'open' });
    await call('GET', `/api/cycles/${cycle.id}/scope-values/section/${f.sections.a}`, staff, 200);

    const [a, b] = (await call('GET', `/api/cycles/${cycle.id}/entries?sectionId=${f.sections.a}`, planning, 200)).items;
    // One entry is returned and resubmitted, withdrawn, then accepted and reopened; the other stays unsubmitted.
    let e = await call('POST', `/api/entries/${a.id}/submit`, staff, 200, { version: a.version, rating: '○', progress: '計画どおり' });
    e = await call('POST', `/api/entries/${a.id}/return`, chief, 200, { version: e.version, comment: '根拠を書いてください' });
    e = await call('POST', `/api/entries/${a.id}/submit`, staff, 200, { version: e.version, rating: '○', progress: '計画どおり（根拠）' });
    e = await call('POST', `/api/entries/${a.id}/withdraw`, staff, 200, { version: e.version });
    e = await call('POST', `/api/entries/${a.id}/submit`, staff, 200, { version: e.version, rating: '○', progress: '計画どおり（根拠）' });
    e = await call('POST', `/api/entries/${a.id}/approve`, chief, 200, { version: e.version });
    e = await call('POST', `/api/entries/${a.id}/approve`, evaluator, 200, { version: e.version });
    e = await call('POST', `/api/entries/${a.id}/approve`, planning, 200, { version: e.version });
    e = await call('POST', `/api/entries/${a.id}/reopen`, planning, 200, { version: e.version, reason: '公表前の確認' });
    e = await call('POST', `/api/entries/${a.id}/submit`, staff, 200, { version: e.version, rating: '○', progress: '確認済み' });
    e = await call('POST', `/api/entries/${a.id}/approve`, chief, 200, { version: e.version });
    e = await call('POST', `/api/entries/${a.id}/approve`, evaluator, 200, { version: e.version });
    await call('POST', `/api/entries/${a.id}/approve`, planning, 200, { version: e.version });
    expect(b.state).toBe('not_started');

    const forced = await call('POST', `/api/cycles/${cycle.id}/actions`, planning, 200, { action: 'force_close', reason: '期限経過' });
    expect(forced.markedNotSubmitted).toBeGreaterThan(0);
    await call('POST', `/api/cycles/${cycle.id}/actions`, planning, 200, { action: 'publish' });
    const published = await t.http().get(`/public/cycles/${cycle.id}/summary.json`).expect(200);
    problems.push(...contractOf('GET', `/public/cycles/${cycle.id}/summary.json`, published));
    await call('GET', `/api/cycles/${cycle.id}/reminders`, planning, 200);

    const recorded = await call('POST', '/api/delegations', planning, 201, {
      fromUserId: f.users.evaluator.id,
      toUserId: f.users.chiefB.id,
      startsOn: tokyoToday(),
      endsOn: addDays(tokyoToday(), 2),
    });
    await call('POST', `/api/delegations/${recorded.id}/confirm`, evaluator, 200);
    expect(problems).toEqual([]);
  });
});
