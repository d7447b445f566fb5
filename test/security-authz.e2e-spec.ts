import ExcelJS from 'exceljs';
import { SessionsService } from '@app/auth';
import type { EntryState } from '@app/domain';
import { build } from './utils/builder';
import { RatingScalesService } from '@app/cycles';
import { runInTenant } from '@app/database';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, createSection, createDepartment, createUser, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';
import { tenant } from './utils/builder';

/**
 * Authorization matrix: every operation of the OpenAPI document × every role (and anonymous)
 * × own/other section where that matters, against an explicit table. An operation missing
 * from the table fails the test, so a new endpoint must be classified before it ships.
 *
 * "allow" means the request got past authorization (any status but 401/403: a 400 for an
 * empty body, a 404 for an absent id and a 409 for a state conflict all count); "deny" means 403.
 * Anonymous callers get 401 on every route that is not public.
 */

type Role = 'staff' | 'chief' | 'evaluator' | 'planning' | 'admin';
const ROLES: Role[] = ['staff', 'chief', 'evaluator', 'planning', 'admin'];
type Verdict = 'A' | 'D';
/** Verdicts in ROLES order: staff, chief, evaluator, planning, admin. */
type Row = [Verdict, Verdict, Verdict, Verdict, Verdict];
type Variant = 'own' | 'other';

interface Case {
  /** Row per variant: 'own' = the staff's and chief's section A in department 1; 'other' = section X in department 2. */
  expect: Partial<Record<Variant, Row>> & { own: Row };
  public?: boolean;
  /** The call ends the caller's session(s): it is made with a fresh session of the role's user, not the shared token. */
  freshSession?: boolean;
  /** Builds path params and body for one request; called once per role and variant (fresh rows where a call changes state). */
  prepare?: (role: Role, variant: Variant) => Promise<{ params?: Record<string, number | string>; body?: unknown; query?: string }>;
}

const A: Verdict = 'A';
const D: Verdict = 'D';
const ALL: Row = [A, A, A, A, A];
const PLANNING_ADMIN: Row = [D, D, D, A, A];
const ADMIN_ONLY: Row = [D, D, D, D, A];
const REPORT_READERS: Row = [D, D, A, A, A];
const NOBODY: Row = [D, D, D, D, D];

/** An id no row has: role-guarded deletes are checked on it so an allowed call (404) changes nothing. */
const ABSENT = 99_999_999;

describe('security: authorization matrix over the OpenAPI document', () => {
  let t: TestApp;
  let f: CycleFixture;
  let tokens: Record<Role, string>;
  let userIds: Record<Role, number>;
  let cycleId: number;
  let templateId: number;
  let otherSection: number;
  let otherDepartment: number;
  let staffX: number;
  let chiefB2: number;
  let itemOther: number;
  let n = 500;

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
    tokens = {
      staff: f.users.staffA.token,
      chief: f.users.chiefA.token,
      evaluator: f.users.evaluator.token,
      planning: f.users.planning.token,
      admin: admin.token,
    };
    userIds = { staff: f.users.staffA.id, chief: f.users.chiefA.id, evaluator: f.users.evaluator.id, planning: f.users.planning.id, admin: admin.id };
    otherDepartment = await createDepartment(t, { code: 'd2', name: '都市整備部' });
    otherSection = await createSection(t, { departmentId: otherDepartment, code: 'x', name: '道路課' });
    staffX = (await userWithToken(t, { login: 'staff-x', roles: ['staff'], sectionId: otherSection })).id;
    chiefB2 = f.users.chiefB.id;
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(tokens.planning))
      .send({ code: 'authz', name: '権限試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    templateId = tpl.body.id;
    const cycle = await t.http().post('/api/cycles').set(bearer(tokens.planning)).send({ templateId, periodKey: '2024-H1' }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(tokens.planning)).send({ action: 'open' }).expect(200);
    itemOther = await item(otherSection);
  });
  afterAll(() => t?.close());

  function item(sectionId: number): Promise<number> {
    return build(t).item({ planId: f.planId, number: n++, title: '権限試験項目', sections: [sectionId] });
  }

  /** A fresh entry of section A (own) or X (other) in the given state, written by that section's staff. */
  async function entry(variant: Variant, state: string, step = 0): Promise<{ id: number; version: number }> {
    const sectionId = variant === 'own' ? f.sections.a : otherSection;
    const author = variant === 'own' ? f.users.staffA.id : staffX;
    const written = state !== 'not_started' && state !== 'draft';
    return build(t).entry({
      cycleId,
      itemId: await item(sectionId),
      sectionId,
      state: state as EntryState,
      step,
      author: written ? author : null,
      editor: written ? author : null,
      rating: '○',
      progress: '計画どおり',
      submittedAt: written ? new Date() : null,
    });
  }

  const entryParams =
    (state: string, body: (version: number) => object, step = 0) =>
    async (_role: Role, variant: Variant) => {
      const e = await entry(variant, state, step);
      return { params: { id: e.id }, body: body(e.version) };
    };
  const readEntry = async (_role: Role, variant: Variant) => ({ params: { id: (await entry(variant, 'submitted')).id } });

  /** The table. Keys are `METHOD path` exactly as in the OpenAPI document. */
  const table = (): Record<string, Case> => ({
    'POST /api/auth/login': { public: true, expect: { own: ALL }, prepare: async () => ({ body: { login: 'planning', password: 'password' } }) },
    'GET /api/auth/me': { expect: { own: ALL } },
    // Every signed-in user may change their own password; a wrong current one (422) changes nothing.
    'POST /api/auth/password': {
      expect: { own: ALL },
      prepare: async () => ({ body: { currentPassword: 'not-the-password', newPassword: 'Another-Passw0rd' } }),
    },
    // Server-side sessions: one's own are for everyone signed in; another user's for administrators.
    'POST /api/auth/logout': { expect: { own: ALL }, freshSession: true },
    'GET /api/auth/sessions': { expect: { own: ALL } },
    // With the shared token: it ends the role's other sessions (those of the login row above) and keeps this one.
    'POST /api/auth/sessions/end-others': { expect: { own: ALL } },
    // Someone else's session (or none) is a 404 for the caller, never theirs to end.
    'DELETE /api/auth/sessions/{sessionId}': { expect: { own: ALL }, prepare: async () => ({ params: { sessionId: '00000000-0000-4000-8000-000000000000' } }) },
    // Single sign-on: public steps of the flow; with SSO off they answer 404.
    'GET /api/auth/oidc': { public: true, expect: { own: ALL } },
    'GET /api/auth/oidc/start': { public: true, expect: { own: ALL } },
    'GET /api/auth/oidc/callback': { public: true, expect: { own: ALL } },
    'POST /api/auth/oidc/exchange': { public: true, expect: { own: ALL }, prepare: async () => ({ body: { code: 'x'.repeat(43) } }) },
    'GET /health': { public: true, expect: { own: ALL } },
    // Whether this is a demo installation, for the UI's banner before anyone signs in.
    'GET /api/system-info': { public: true, expect: { own: ALL } },
    // Notifications are the caller's own (the outbox rows addressed to them): everyone signed in,
    // and another user's notification (or none) is a 404, never theirs to mark.
    'GET /api/notifications': { expect: { own: ALL } },
    'GET /api/notifications/unread-count': { expect: { own: ALL } },
    'POST /api/notifications/read-all': { expect: { own: ALL } },
    'POST /api/notifications/{id}/read': { expect: { own: ALL }, prepare: async () => ({ params: { id: 999999 } }) },
    'GET /api/notifications/settings': { expect: { own: ALL } },
    'PUT /api/notifications/settings': { expect: { own: ALL }, prepare: async () => ({ body: { mode: 'immediate' } }) },

    'GET /api/templates': { expect: { own: ALL } },
    'GET /api/templates/{id}': { expect: { own: ALL }, prepare: async () => ({ params: { id: templateId } }) },
    'POST /api/templates': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ body: {} }) },
    'PATCH /api/templates/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: templateId }, body: {} }) },
    'GET /api/scales': { expect: { own: ALL } },
    'POST /api/scales': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ body: {} }) },
    'GET /api/cycles': { expect: { own: ALL } },
    'POST /api/cycles': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ body: {} }) },
    'GET /api/cycles/{id}': { expect: { own: ALL }, prepare: async () => ({ params: { id: cycleId } }) },
    'POST /api/cycles/{id}/actions': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: cycleId }, body: {} }) },

    'GET /api/entries/mine': { expect: { own: ALL } },
    // Lists are filtered by section rather than refused (checked in the IDOR tests below).
    'GET /api/cycles/{cycleId}/entries': { expect: { own: ALL }, prepare: async () => ({ params: { cycleId } }) },
    'GET /api/templates/{templateId}/matrix': { expect: { own: ALL }, prepare: async () => ({ params: { templateId } }) },
    'GET /api/entries/{id}': { expect: { own: ALL, other: [D, D, D, A, A] }, prepare: readEntry },
    // A department's fields (基本方針, 総括): its own people read and write them, planning and admin every department's.
    'GET /api/cycles/{cycleId}/scope-values/{scope}/{scopeId}': {
      expect: { own: ALL, other: PLANNING_ADMIN },
      prepare: async (_role, variant) => ({ params: { cycleId, scope: 'department', scopeId: variant === 'own' ? f.departmentId : otherDepartment } }),
    },
    'PUT /api/cycles/{cycleId}/scope-values/{scope}/{scopeId}': {
      expect: { own: ALL, other: PLANNING_ADMIN },
      prepare: async (_role, variant) => ({
        params: { cycleId, scope: 'department', scopeId: variant === 'own' ? f.departmentId : otherDepartment },
        body: { values: {} },
      }),
    },
    // Readers and whoever's turn it is to approve; the answer lists what each may do.
    'GET /api/entries/{id}/actions': { expect: { own: ALL, other: [D, D, D, A, A] }, prepare: readEntry },
    'GET /api/entries/{id}/history': { expect: { own: ALL, other: [D, D, D, A, A] }, prepare: readEntry },
    'GET /api/entries/{id}/diff': { expect: { own: ALL, other: [D, D, D, A, A] }, prepare: readEntry },
    // Only the responsible section writes its report; readers (evaluator, planning, admin) do not.
    'PUT /api/entries/{id}': {
      expect: { own: [A, A, D, D, D], other: NOBODY },
      prepare: entryParams('draft', (version) => ({ version, progress: '進捗を更新' })),
    },
    'POST /api/entries/{id}/submit': {
      expect: { own: [A, A, D, D, D], other: NOBODY },
      prepare: entryParams('draft', (version) => ({ version, rating: '○', progress: '計画どおり進めている' })),
    },
    // Step 0 of the route is the section's chief; the author's own staff cannot approve.
    'POST /api/entries/{id}/approve': { expect: { own: [D, A, D, D, D], other: NOBODY }, prepare: entryParams('submitted', (version) => ({ version })) },
    'POST /api/entries/{id}/return': {
      expect: { own: [D, A, D, D, D], other: NOBODY },
      prepare: entryParams('submitted', (version) => ({ version, comment: '根拠を記載してください' })),
    },
    'POST /api/entries/{id}/withdraw': { expect: { own: [A, A, D, D, D], other: NOBODY }, prepare: entryParams('submitted', (version) => ({ version })) },
    // Reopening is the planning division's alone (not even admin: it is a business decision).
    'POST /api/entries/{id}/reopen': {
      expect: { own: [D, D, D, A, D], other: [D, D, D, A, D] },
      prepare: entryParams('accepted', (version) => ({ version, reason: '公表前の再確認' }), 3),
    },
    // Any approver may call it; each item is authorized on its own (see IDOR tests).
    'POST /api/approvals/bulk-approve': { expect: { own: ALL }, prepare: async () => ({ body: {} }) },
    'GET /api/approvals/inbox': { expect: { own: ALL } },
    'GET /api/approvals/audit.csv': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ query: `cycleId=${cycleId}` }) },
    // The audit log's integrity check: administrators only (it reads every row).
    'GET /api/audit/verify': { expect: { own: ADMIN_ONLY } },

    'POST /api/delegations': {
      // Recording a delegation for someone else (here chief B's, in 2099 so it never takes effect).
      expect: { own: PLANNING_ADMIN },
      prepare: async () => ({ body: { fromUserId: chiefB2, toUserId: f.users.chiefA.id, startsOn: '2099-04-01', endsOn: '2099-04-30' } }),
    },
    'GET /api/delegations': { expect: { own: ALL } },
    'DELETE /api/delegations/{id}': {
      expect: { own: PLANNING_ADMIN },
      prepare: async () => {
        const id = await build(t).delegation({ from: chiefB2, to: staffX, startsOn: '2099-04-01', endsOn: '2099-04-30', createdBy: chiefB2 });
        return { params: { id } };
      },
    },
    'POST /api/delegations/{id}/confirm': {
      // Recorded by planning in chief B's name: only chief B or their superior (the department
      // head, here the evaluator) confirms it; not the recorder, not a fellow chief.
      expect: { own: [D, D, A, D, D] },
      prepare: async () => {
        const id = await build(t).delegation({
          from: chiefB2,
          to: staffX,
          startsOn: '2099-04-01',
          endsOn: '2099-04-30',
          createdBy: f.users.planning.id,
          confirmedAt: null,
        });
        return { params: { id } };
      },
    },

    // 外部評価: planning assigns reviewers; the reviewer's own endpoints are for external_reviewer alone.
    'POST /api/cycles/{id}/external-reviewers': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: cycleId }, body: {} }) },
    'GET /api/cycles/{id}/external-reviewers': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/external-review/cycles': { expect: { own: NOBODY } },
    'GET /api/external-review/cycles/{id}/items': { expect: { own: NOBODY }, prepare: async () => ({ params: { id: cycleId } }) },
    'PUT /api/external-review/cycles/{id}/items/{itemId}/recommendation': {
      expect: { own: NOBODY },
      prepare: async () => ({ params: { id: cycleId, itemId: f.items[0] }, body: { text: '提言' } }),
    },
    'GET /api/entries/{id}/external-review': { expect: { own: ALL, other: [D, D, D, A, A] }, prepare: readEntry },
    'PUT /api/entries/{id}/external-review/response': {
      expect: { own: [A, A, D, D, D], other: NOBODY },
      prepare: entryParams('draft', () => ({ text: '対応方針' })),
    },

    'GET /api/reminders/mine': { expect: { own: ALL } },
    'GET /api/cycles/{id}/reminders': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/cycles/{id}/reminders.csv': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: cycleId } }) },
    'POST /api/reminders/{id}/resend': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT } }) },

    'GET /api/cycles/{id}/completeness': { expect: { own: REPORT_READERS }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/cycles/{id}/summary': { expect: { own: REPORT_READERS }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/templates/{id}/year-over-year': { expect: { own: REPORT_READERS }, prepare: async () => ({ params: { id: templateId } }) },
    'GET /api/cycles/{id}/export.xlsx': { expect: { own: REPORT_READERS }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/cycles/{id}/export.csv': { expect: { own: REPORT_READERS }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/cycles/{id}/report.html': { expect: { own: REPORT_READERS }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/templates/{id}/matrix.xlsx': { expect: { own: REPORT_READERS }, prepare: async () => ({ params: { id: templateId } }) },
    // The record (公文書) of a closed cycle and the disposal list: the planning division's (an open cycle answers 409).
    'GET /api/cycles/{id}/record.zip': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /api/records/disposal': { expect: { own: PLANNING_ADMIN } },
    // The prefecture (docs/tenancy.md): shared templates are planning's; the comparison is 都道府県担当's alone (test/prefecture.e2e-spec.ts).
    'GET /api/shared-templates': { expect: { own: PLANNING_ADMIN } },
    'POST /api/shared-templates': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ body: {} }) },
    'POST /api/shared-templates/{id}/adopt': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT }, body: { planId: f.planId } }) },
    'GET /api/prefecture/comparison': { expect: { own: NOBODY }, prepare: async () => ({ query: 'code=sougou-half' }) },
    // Published pages are public; an unpublished cycle is simply absent (404) for everyone.
    'GET /public/cycles/{id}/report.html': { public: true, expect: { own: ALL }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /public/cycles/{id}/summary.json': { public: true, expect: { own: ALL }, prepare: async () => ({ params: { id: cycleId } }) },
    'GET /public/cycles/{id}/export.csv': { public: true, expect: { own: ALL }, prepare: async () => ({ params: { id: cycleId } }) },

    'GET /api/org/departments': { expect: { own: ALL } },
    'GET /api/org/departments/{id}': { expect: { own: ALL }, prepare: async () => ({ params: { id: f.departmentId } }) },
    'POST /api/org/departments': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ body: {} }) },
    'PATCH /api/org/departments/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT }, body: {} }) },
    'DELETE /api/org/departments/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT } }) },
    'POST /api/org/departments/{id}/rename': {
      expect: { own: PLANNING_ADMIN },
      prepare: async () => ({ params: { id: ABSENT }, body: { name: '新部', effectiveFrom: '2030-04-01' } }),
    },
    'GET /api/org/sections': { expect: { own: ALL } },
    'GET /api/org/sections/{id}': { expect: { own: ALL }, prepare: async () => ({ params: { id: f.sections.a } }) },
    'POST /api/org/sections': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ body: {} }) },
    'PATCH /api/org/sections/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT }, body: {} }) },
    'DELETE /api/org/sections/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT } }) },
    'POST /api/org/sections/{id}/rename': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: f.sections.a }, body: {} }) },
    'POST /api/org/sections/{id}/merge': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: f.sections.a }, body: {} }) },
    // Planning reads users (to pick evaluators); only admin writes them.
    // Names and sections only (no address, no roles): to pick a delegate.
    'GET /api/org/users/directory': { expect: { own: ALL } },
    'GET /api/org/users': { expect: { own: PLANNING_ADMIN } },
    'GET /api/org/users/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: f.users.staffA.id } }) },
    'POST /api/org/users': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ body: {} }) },
    'PATCH /api/org/users/{id}': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ params: { id: ABSENT }, body: {} }) },
    'DELETE /api/org/users/{id}': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ params: { id: ABSENT } }) },
    'POST /api/org/users/{id}/unlock': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ params: { id: ABSENT } }) },
    'GET /api/org/users/{id}/sessions': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ params: { id: f.users.staffA.id } }) },
    'DELETE /api/org/users/{id}/sessions': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ params: { id: ABSENT } }) },
    // 団体設定: the caller's own municipality, its administrators only (no version: a 400 that changes nothing).
    'GET /api/org/tenant': { expect: { own: ADMIN_ONLY } },
    'PATCH /api/org/tenant': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ body: {} }) },
    'POST /api/org/tenant/logo': { expect: { own: ADMIN_ONLY }, prepare: async () => ({ body: {} }) },
    'DELETE /api/org/tenant/logo': { expect: { own: ADMIN_ONLY } },
    // 人事異動: the planning division and administrators (a request without a file answers 400).
    'GET /api/org/transfers': { expect: { own: PLANNING_ADMIN } },
    'GET /api/org/transfers/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT } }) },
    'POST /api/org/transfers/preview': { expect: { own: PLANNING_ADMIN } },
    'POST /api/org/transfers': { expect: { own: PLANNING_ADMIN } },
    'POST /api/org/transfers/{id}/cancel': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT } }) },
    'POST /api/org/reforms/preview': { expect: { own: PLANNING_ADMIN } },
    'POST /api/org/reforms': { expect: { own: PLANNING_ADMIN } },
    'GET /api/org/reforms': { expect: { own: PLANNING_ADMIN } },
    'POST /api/org/reforms/{id}/cancel': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT } }) },

    'GET /api/plans': { expect: { own: ALL } },
    'GET /api/plans/{planId}': { expect: { own: ALL }, prepare: async () => ({ params: { planId: f.planId } }) },
    'POST /api/plans': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ body: {} }) },
    'PATCH /api/plans/{planId}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { planId: ABSENT }, body: {} }) },
    'DELETE /api/plans/{planId}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { planId: ABSENT } }) },
    'GET /api/plans/{planId}/items': { expect: { own: ALL }, prepare: async () => ({ params: { planId: f.planId } }) },
    'POST /api/plans/{planId}/items': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { planId: f.planId }, body: {} }) },
    'GET /api/plans/{planId}/items/import-template.csv': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { planId: f.planId } }) },
    'POST /api/plans/{planId}/items/import': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { planId: f.planId } }) },
    // The export writes every item (all sections'), in the import's format: for those who import.
    'GET /api/plans/{planId}/items/export.csv': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { planId: f.planId } }) },
    'GET /api/plans/{planId}/items/export.xlsx': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { planId: f.planId } }) },
    // Evaluators read every item; staff and chiefs only their section's.
    'GET /api/items/{id}': {
      expect: { own: ALL, other: [D, D, A, A, A] },
      prepare: async (_role, variant) => ({ params: { id: variant === 'own' ? f.items[1] : itemOther } }),
    },
    'PATCH /api/items/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: f.items[1] }, body: {} }) },
    'DELETE /api/items/{id}': { expect: { own: PLANNING_ADMIN }, prepare: async () => ({ params: { id: ABSENT } }) },
  });

  async function operations(): Promise<string[]> {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
  }

  function send(op: string, token: string | undefined, req: { params?: Record<string, number | string>; body?: unknown; query?: string }) {
    const [method, template] = op.split(' ');
    let path = template.replace(/\{(\w+)\}/g, (_m, name: string) => String(req.params?.[name] ?? ABSENT));
    if (req.query) path += `?${req.query}`;
    const call = t.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    if (token) call.set(bearer(token));
    return req.body === undefined ? call : call.send(req.body as object);
  }

  it('classifies every operation of the OpenAPI document', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(50);
    expect(ops.filter((op) => !(op in table()))).toEqual([]);
    expect(Object.keys(table()).filter((op) => !ops.includes(op))).toEqual([]);
  });

  it('gives 401 to anonymous callers on every non-public operation, and lets them through the public ones', async () => {
    const wrong: string[] = [];
    for (const [op, c] of Object.entries(table())) {
      const req = c.prepare ? await c.prepare('staff', 'own') : {};
      const res = await send(op, undefined, req);
      if (c.public ? [401, 403].includes(res.status) || res.status >= 500 : res.status !== 401) wrong.push(`${op}: ${res.status}`);
      if (!c.public && res.status === 401 && !/ログイン/.test(res.body.message)) wrong.push(`${op}: 401 without a message`);
    }
    expect(wrong).toEqual([]);
  });

  it('allows and denies each role per the table, own and other section', async () => {
    const wrong: string[] = [];
    for (const [op, c] of Object.entries(table())) {
      for (const variant of Object.keys(c.expect) as Variant[]) {
        for (const [i, role] of ROLES.entries()) {
          const expected = c.expect[variant]![i];
          const req = c.prepare ? await c.prepare(role, variant) : {};
          const token = c.freshSession ? await t.app.get(SessionsService).open(userIds[role], 'password') : tokens[role];
          const res = await send(op, token, req);
          const got = res.status === 403 ? 'D' : res.status === 401 ? '401' : 'A';
          if (got !== expected || res.status >= 500)
            wrong.push(`${op} ${variant} as ${role}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body?.message ?? '')}`);
          if (res.status === 403 && typeof res.body.message !== 'string') wrong.push(`${op} ${variant} as ${role}: 403 without a message`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  /**
   * The tenant axis: an administrator and planner of another municipality (tenant B, signed in
   * with its 地方公共団体コード) calls every operation on this municipality's rows. Row-level
   * security hides them: every id of ours answers as an id no row has (a 404, or what the
   * operation answers an absent id), no answer shows any of our data, and nothing of ours is changed (every change is
   * audited: no audit row of ours names B's user).
   */
  describe('tenant axis: a user of another municipality', () => {
    let tenantB: number;
    let userB: number;
    let tokenB: string;
    /** Text only this municipality's rows hold. */
    const OURS = ['こども未来部', '都市整備部', '道路課', '権限試験', '市長公約', '実施園数', '他課の秘密の進捗'];

    beforeAll(async () => {
      const owner = await adminClient(t.config, t.config.DB_NAME);
      try {
        tenantB = await tenant(owner, { code: '131016', name: '千代田区' });
      } finally {
        await owner.end();
      }
      await runInTenant(tenantB, async () => {
        await t.app.get(RatingScalesService).mirrorBuiltins();
        const section = await createSection(t, { code: 'b1', name: '千代田区総務課' });
        // The same login as this municipality's administrator: logins are unique per tenant only.
        userB = await createUser(t, { login: 'admin', roles: ['admin', 'planning'], sectionId: section });
      });
      const res = await t.http().post('/api/auth/login').set('X-Tenant', '131016').send({ login: 'admin', password: 'password' }).expect(200);
      tokenB = res.body.accessToken;
      const me = await t.http().get('/api/auth/me').set(bearer(tokenB)).expect(200);
      expect(me.body.id).toBe(userB);
    });

    it('signs in only with the municipality named, and refuses a token of one with the header of another', async () => {
      // No header: this (single-city) installation's own tenant, whose admin has another id.
      const ours = await t.http().post('/api/auth/login').send({ login: 'admin', password: 'password' }).expect(200);
      expect((await t.http().get('/api/auth/me').set(bearer(ours.body.accessToken)).expect(200)).body.id).toBe(userIds.admin);
      await t.http().post('/api/auth/login').set('X-Tenant', '999999').send({ login: 'admin', password: 'password' }).expect(404);
      const mixed = await t.http().get('/api/auth/me').set(bearer(tokenB)).set('X-Tenant', '131016');
      expect(mixed.status).toBe(200);
      const [{ code }] = await t.db.query(`SELECT coalesce(code, '') AS code FROM tenants WHERE id = app_tenant()`);
      const other = await t.http().get('/api/auth/me').set(bearer(ours.body.accessToken)).set('X-Tenant', '131016');
      expect([code, other.status]).toEqual(['', 401]);
    });

    it("gets 404 on this municipality's rows for every operation of the table, sees none of its data and changes nothing", async () => {
      const wrong: string[] = [];
      let onOurIds = 0;
      for (const [op, c] of Object.entries(table())) {
        if (c.public) continue;
        const req = c.prepare ? await c.prepare('admin', 'own') : {};
        const token = c.freshSession ? await runInTenant(tenantB, () => t.app.get(SessionsService).open(userB, 'password')) : tokenB;
        const res = await send(op, token, req);
        const ids = Object.values(req.params ?? {}).filter((v) => typeof v === 'number' && v !== ABSENT);
        const text = typeof res.text === 'string' ? res.text : JSON.stringify(res.body ?? '');
        if (res.status >= 500) wrong.push(`${op}: ${res.status}`);
        if (ids.length) {
          onOurIds++;
          // Indistinguishable from an id no row has: no existence oracle either. Mostly a 404; the
          // few that answer an absent id otherwise (an empty page, 403 to a non-reviewer) do the same.
          const absent = await send(op, token, {
            ...req,
            params: Object.fromEntries(Object.entries(req.params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? ABSENT : v])),
          });
          if (res.status !== absent.status) wrong.push(`${op} on our ids ${ids.join(',')}: ${res.status}, on absent ones ${absent.status}`);
          if (res.status < 400 && JSON.stringify(res.body) !== JSON.stringify(absent.body))
            wrong.push(`${op} on our ids ${ids.join(',')}: ${text.slice(0, 120)}`);
        }
        for (const marker of OURS) if (text.includes(marker)) wrong.push(`${op}: shows ${marker}`);
      }
      expect(wrong).toEqual([]);
      expect(onOurIds).toBeGreaterThan(40);
      const owner = await adminClient(t.config, t.config.DB_NAME);
      try {
        const { rows } = await owner.query(`SELECT action FROM audit_log WHERE tenant_id <> $1 AND (actor_user_id = $2 OR on_behalf_of_user_id = $2)`, [
          tenantB,
          userB,
        ]);
        expect(rows).toEqual([]);
        const { rows: crossing } = await owner.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND tenant_id <> $2`, [userB, tenantB]);
        expect(crossing[0].n).toBe(0);
      } finally {
        await owner.end();
      }
    }, 120_000);
  });

  describe('IDOR: guessing ids of other sections', () => {
    it("never returns another section's entry, history, diff or item to staff and chiefs, whatever id they try", async () => {
      const mine = await entry('own', 'submitted');
      const theirs = await Promise.all([entry('other', 'submitted'), entry('other', 'accepted', 3), entry('other', 'draft')]);
      await t.db.query(`UPDATE entries SET progress = '他課の秘密の進捗' WHERE id = ANY($1)`, [theirs.map((e) => e.id)]);
      const [{ max }] = await t.db.query(`SELECT max(id)::int AS max FROM entries`);
      for (const token of [tokens.staff, tokens.chief]) {
        for (let id = 1; id <= max + 3; id++) {
          for (const suffix of ['', '/history', '/diff']) {
            const res = await t.http().get(`/api/entries/${id}${suffix}`).set(bearer(token));
            if (id === mine.id) continue;
            const [row] = await t.db.query(`SELECT section_id FROM entries WHERE id = $1`, [id]);
            if (row?.section_id === f.sections.a) continue;
            expect([id, suffix, [403, 404].includes(res.status)]).toEqual([id, suffix, true]);
            expect(JSON.stringify(res.body)).not.toContain('他課の秘密の進捗');
          }
        }
      }
      const item = await t.http().get(`/api/items/${itemOther}`).set(bearer(tokens.staff)).expect(403);
      expect(JSON.stringify(item.body)).not.toContain('権限試験項目');
    }, 60_000);

    it('answers ids no record can have with 404, and ids that are not numbers with 400 naming the parameter', async () => {
      for (const id of ['0', '-1', String(2 ** 31), String(2 ** 40), '99999999999999999999']) {
        for (const path of [`/api/entries/${id}`, `/api/cycles/${id}`, `/api/cycles/${id}/summary`, `/api/items/${id}`]) {
          const res = await t.http().get(path).set(bearer(tokens.planning));
          expect([path, res.status]).toEqual([path, 404]);
        }
      }
      for (const id of ['abc', '1.5', '１２３', '1x']) {
        const res = await t
          .http()
          .get(`/api/entries/${encodeURIComponent(id)}`)
          .set(bearer(tokens.planning));
        expect([id, res.status, res.body.field]).toEqual([id, 400, 'id']);
        expect(res.body.message).toMatch(/^id: /);
      }
    });

    it("does not leak another section's entry through a version conflict, and changes nothing", async () => {
      const theirs = await entry('other', 'draft');
      await t.db.query(`UPDATE entries SET progress = '他課の秘密の進捗' WHERE id = $1`, [theirs.id]);
      const stale = theirs.version + 5;
      const attempts = [
        t.http().put(`/api/entries/${theirs.id}`).set(bearer(tokens.staff)).send({ version: stale, progress: 'x' }),
        t.http().post(`/api/entries/${theirs.id}/submit`).set(bearer(tokens.staff)).send({ version: stale, rating: '○', progress: 'x' }),
        t.http().post(`/api/entries/${theirs.id}/withdraw`).set(bearer(tokens.chief)).send({ version: stale }),
        t.http().post(`/api/entries/${theirs.id}/approve`).set(bearer(tokens.chief)).send({ version: stale }),
        t.http().post(`/api/entries/${theirs.id}/return`).set(bearer(tokens.chief)).send({ version: stale, comment: 'x' }),
      ];
      for (const res of await Promise.all(attempts)) {
        // A stale version may be reported (409, without the stored entry) before the access refusal.
        expect([403, 404, 409]).toContain(res.status);
        expect(res.body.current).toBeUndefined();
        expect(JSON.stringify(res.body)).not.toContain('他課の秘密の進捗');
      }
      const [row] = await t.db.query(`SELECT version, state FROM entries WHERE id = $1`, [theirs.id]);
      expect(row).toEqual({ version: theirs.version, state: 'draft' });
    });

    it("refuses another section's entries inside a bulk approval, item by item, leaving them unchanged", async () => {
      const theirs = await entry('other', 'submitted');
      const res = await t
        .http()
        .post('/api/approvals/bulk-approve')
        .set(bearer(tokens.chief))
        .send({ items: [{ id: theirs.id, version: theirs.version }] })
        .expect(200);
      expect(res.body).toEqual([expect.objectContaining({ id: theirs.id, ok: false, status: 403 })]);
      const [row] = await t.db.query(`SELECT version, state FROM entries WHERE id = $1`, [theirs.id]);
      expect(row).toEqual({ version: theirs.version, state: 'submitted' });
    });

    it('filters lists instead of leaking: the cycle list and the matrix show a section only its own entries', async () => {
      await entry('other', 'submitted');
      const list = await t.http().get(`/api/cycles/${cycleId}/entries`).set(bearer(tokens.staff)).expect(200);
      const rows = Array.isArray(list.body) ? list.body : (list.body.items ?? list.body.rows);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r: { sectionId: number }) => r.sectionId === f.sections.a)).toBe(true);
      const filtered = await t.http().get(`/api/cycles/${cycleId}/entries?sectionId=${otherSection}`).set(bearer(tokens.staff)).expect(200);
      const other = Array.isArray(filtered.body) ? filtered.body : (filtered.body.items ?? filtered.body.rows);
      expect(other).toEqual([]);
    });

    it("shows an evaluator in the matrix, year over year, the summary and matrix.xlsx only what the entry endpoint would: not another department's ratings", async () => {
      const theirs = await entry('other', 'submitted');
      await t.http().get(`/api/entries/${theirs.id}`).set(bearer(tokens.evaluator)).expect(403);
      const matrix = await t.http().get(`/api/templates/${templateId}/matrix`).set(bearer(tokens.evaluator)).expect(200);
      expect(matrix.body.rows.length).toBeGreaterThan(0);
      expect(matrix.body.rows.some((r: { sectionId: number }) => r.sectionId === otherSection)).toBe(false);
      const yoy = await t.http().get(`/api/templates/${templateId}/year-over-year`).set(bearer(tokens.evaluator)).expect(200);
      expect(JSON.stringify(yoy.body)).not.toContain('道路課');
      const planningView = await t.http().get(`/api/cycles/${cycleId}/summary?acceptedOnly=false`).set(bearer(tokens.planning)).expect(200);
      const evaluatorView = await t.http().get(`/api/cycles/${cycleId}/summary?acceptedOnly=false`).set(bearer(tokens.evaluator)).expect(200);
      expect(evaluatorView.body.total).toBeLessThan(planningView.body.total);
      expect(evaluatorView.body.byDepartment.map((d: { departmentName: string }) => d.departmentName)).not.toContain('都市整備部');
      const xlsx = await t
        .http()
        .get(`/api/templates/${templateId}/matrix.xlsx`)
        .set(bearer(tokens.evaluator))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      const sections: string[] = [];
      book.worksheets[0].eachRow((row, n) => n > 1 && sections.push(String(row.getCell(4).value)));
      expect(sections.length).toBeGreaterThan(0);
      expect(sections).not.toContain('道路課');
    });
  });
});
