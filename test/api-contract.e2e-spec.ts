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
    const res = await (body ? req.send(body) : req).expect(status);
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
});
