import {
  ApprovalStep,
  approversNow,
  decideApprover,
  DelegationWindow,
  EntryRouting,
  evaluatorTier,
  fallbackNote,
  holdsStep,
  isDelegationActive,
  nextOpenStep,
  pendingStep,
  routeAheadNotes,
  RouteUser,
  coProgress,
  openSeatOf,
} from './approval-route';

const route = [
  { kind: 'section_chief', label: '所管課長' },
  { kind: 'evaluator', label: '評価者' },
  { kind: 'planning', label: '企画担当' },
] as const;

const entry = (over: Partial<EntryRouting> = {}): EntryRouting => ({
  entryId: 1,
  cycleId: 1,
  state: 'submitted',
  currentStep: 0,
  route,
  sectionId: 10,
  evaluatorUserId: null,
  departmentHeadUserId: 5,
  editorIds: [2],
  approverIds: [],
  options: { segregation: true, fallbackApprovers: ['department_head', 'planning'] },
  ...over,
});

const user = (id: number, sectionId: number | null, roles: RouteUser['roles'], active = true): RouteUser => ({
  id,
  sectionId,
  roles,
  active,
});
const chiefA = user(1, 10, ['chief']);
const staffA = user(2, 10, ['staff']);
const chiefB = user(3, 11, ['chief']);
const planner = user(4, 12, ['planning']);
const head = user(5, null, ['evaluator']);
const itemEvaluator = user(6, 13, ['chief']);
const delegation = (from: number, to: number, startsOn: string, endsOn: string, revokedAt: string | null = null): DelegationWindow => ({
  fromUserId: from,
  toUserId: to,
  startsOn,
  endsOn,
  revokedAt,
  confirmedAt: '2024-10-01T00:00:00Z',
});
const today = '2024-10-15';

describe('approval route', () => {
  it('has a pending step only while submitted or in review', () => {
    expect(pendingStep(entry())).toEqual(route[0]);
    expect(pendingStep(entry({ state: 'in_review', currentStep: 2 }))).toEqual(route[2]);
    for (const state of ['not_started', 'draft', 'returned', 'accepted', 'not_submitted'] as const) {
      expect(pendingStep(entry({ state }))).toBeNull();
    }
    expect(pendingStep(entry({ state: 'in_review', currentStep: 3 }))).toBeNull();
  });

  it("section_chief = a chief of the entry's section", () => {
    expect(holdsStep(chiefA, 'section_chief', entry())).toBe(true);
    expect(holdsStep(chiefB, 'section_chief', entry())).toBe(false);
    expect(holdsStep(staffA, 'section_chief', entry())).toBe(false);
    expect(holdsStep(user(1, 10, ['chief'], false), 'section_chief', entry())).toBe(false);
  });

  it("evaluator = the item's evaluator if set, else the department head", () => {
    expect(holdsStep(head, 'evaluator', entry())).toBe(true);
    expect(holdsStep(head, 'evaluator', entry({ evaluatorUserId: 6 }))).toBe(false);
    expect(holdsStep(itemEvaluator, 'evaluator', entry({ evaluatorUserId: 6 }))).toBe(true);
    expect(holdsStep(head, 'evaluator', entry({ departmentHeadUserId: null }))).toBe(false);
  });

  it('planning = any planning user', () => {
    expect(holdsStep(planner, 'planning', entry())).toBe(true);
    expect(holdsStep(chiefA, 'planning', entry())).toBe(false);
  });

  it('lists the principals who must act now, without the writers of the entry', () => {
    const users = [chiefA, staffA, chiefB, planner, head, user(7, 10, ['chief'])];
    expect(approversNow(entry(), users)).toEqual([1, 7]);
    expect(approversNow(entry({ editorIds: [1] }), users)).toEqual([7]);
    expect(approversNow(entry({ state: 'in_review', currentStep: 1 }), users)).toEqual([5]);
    expect(approversNow(entry({ state: 'in_review', currentStep: 2, editorIds: [4] }), users)).toEqual([]);
    expect(approversNow(entry({ state: 'accepted' }), users)).toEqual([]);
  });

  it('counts a delegation on its first and last day, not the day before or after, and not once revoked', () => {
    const d = delegation(1, 3, '2024-10-15', '2024-10-17');
    expect(isDelegationActive(d, '2024-10-14')).toBe(false);
    expect(isDelegationActive(d, '2024-10-15')).toBe(true);
    expect(isDelegationActive(d, '2024-10-17')).toBe(true);
    expect(isDelegationActive(d, '2024-10-18')).toBe(false);
    expect(isDelegationActive({ ...d, revokedAt: '2024-10-15T00:00:00Z' }, '2024-10-16')).toBe(false);
  });

  describe('decideApprover', () => {
    it('lets the step holder act directly', () => {
      expect(decideApprover(chiefA, entry(), [], [], today)).toEqual({ allowed: true, principalId: 1, acting: false });
    });

    it('lets a delegate act for the principal (代決) inside the window only', () => {
      const d = [delegation(1, 3, today, today)];
      expect(decideApprover(chiefB, entry(), [chiefA], d, today)).toEqual({ allowed: true, principalId: 1, acting: true });
      expect(decideApprover(chiefB, entry(), [chiefA], d, '2024-10-16')).toMatchObject({ allowed: false, reason: 'not_approver' });
      // A delegation from someone who does not hold the step gives nothing.
      expect(decideApprover(chiefB, entry(), [planner], [delegation(4, 3, today, today)], today)).toMatchObject({
        allowed: false,
        reason: 'not_approver',
      });
    });

    it('refuses anyone who wrote the entry, directly or as delegate, whatever roles they gained', () => {
      const author = user(2, 10, ['staff', 'chief', 'planning']);
      expect(decideApprover(author, entry(), [], [], today)).toMatchObject({ allowed: false, reason: 'own_entry' });
      expect(decideApprover(author, entry({ state: 'in_review', currentStep: 2 }), [], [], today)).toMatchObject({
        allowed: false,
        reason: 'own_entry',
      });
      expect(decideApprover(staffA, entry(), [chiefA], [delegation(1, 2, today, today)], today)).toMatchObject({
        allowed: false,
        reason: 'own_entry',
      });
    });

    it('refuses a delegate whose principal wrote the entry', () => {
      expect(decideApprover(chiefB, entry({ editorIds: [1] }), [chiefA], [delegation(1, 3, today, today)], today)).toMatchObject({
        allowed: false,
        reason: 'principal_wrote_entry',
      });
    });

    it('never lets one person approve two steps of one entry: directly, as delegate, or through a principal', () => {
      // head approved step 1 as chief-equivalent; at step 2 they are barred however they hold it.
      const atEvaluator = entry({ state: 'in_review', currentStep: 1, approverIds: [5] });
      expect(decideApprover(head, atEvaluator, [], [], today)).toMatchObject({ allowed: false, reason: 'approved_earlier_step' });
      // chief A approved step 1; as chief B's delegate they still may not approve step 2 of that entry.
      const e = entry({ state: 'in_review', currentStep: 1, evaluatorUserId: 3, approverIds: [1] });
      expect(decideApprover(chiefA, e, [chiefB], [delegation(3, 1, today, today)], today)).toMatchObject({
        allowed: false,
        reason: 'approved_earlier_step',
      });
      // chief B approved step 1 (as themselves); chief A as chief B's delegate may not approve step 2 for them.
      const e2 = entry({ state: 'in_review', currentStep: 1, evaluatorUserId: 3, approverIds: [3] });
      expect(decideApprover(chiefA, e2, [chiefB], [delegation(3, 1, today, today)], today)).toMatchObject({ allowed: false });
    });

    it('gives the evaluator step to the department head, then planning, when the named evaluator is barred', () => {
      // the chief is also the item's evaluator and approved the chief step
      const e = entry({ state: 'in_review', currentStep: 1, evaluatorUserId: 1, approverIds: [1] });
      expect(evaluatorTier(e)).toEqual({ userId: 5, planning: false, via: 'department_head' });
      expect(decideApprover(head, e, [], [], today)).toEqual({ allowed: true, principalId: 5, acting: false });
      expect(fallbackNote(e)).toBe('評価者が前の段階を承認したため、部長が評価者の段階を承認します');
      // the department head is the evaluator and wrote the sheet: planning takes the step
      const e2 = entry({ state: 'in_review', currentStep: 1, editorIds: [5] });
      expect(evaluatorTier(e2)).toEqual({ userId: null, planning: true, via: 'planning' });
      expect(decideApprover(planner, e2, [], [], today)).toMatchObject({ allowed: true, principalId: 4 });
      expect(approversNow(e2, [chiefA, planner, head])).toEqual([4]);
      expect(fallbackNote(entry({ state: 'in_review', currentStep: 1 }))).toBeNull();
    });

    it("follows the template's fallback chain: planning first skips the department head", () => {
      const e = entry({
        state: 'in_review',
        currentStep: 1,
        evaluatorUserId: 1,
        approverIds: [1],
        options: { segregation: true, fallbackApprovers: ['planning'] },
      });
      expect(evaluatorTier(e)).toEqual({ userId: null, planning: true, via: 'planning' });
      expect(decideApprover(head, e, [], [], today)).toMatchObject({ allowed: false, reason: 'not_approver' });
      expect(decideApprover(planner, e, [], [], today)).toMatchObject({ allowed: true, principalId: 4 });
      expect(fallbackNote(e)).toBe('評価者が前の段階を承認したため、企画担当が評価者の段階を承認します');
      // the chief wrote the sheet and is the evaluator: the note says so before anyone approved
      const own = entry({ state: 'in_review', currentStep: 1, evaluatorUserId: 1, editorIds: [1] });
      expect(fallbackNote(own)).toBe('評価者が作成に関わったため、部長が評価者の段階を承認します');
      expect(routeAheadNotes({ ...own, currentStep: 0 }, 0)).toEqual(['評価者が作成に関わったため、部長が評価者の段階を承認します']);
    });

    it('lets an unconfirmed, out-of-scope or other-cycle delegation give nothing', () => {
      const base = delegation(1, 3, today, today);
      expect(decideApprover(chiefB, entry(), [chiefA], [{ ...base, confirmedAt: null }], today)).toMatchObject({ allowed: false, reason: 'not_approver' });
      expect(decideApprover(chiefB, entry(), [chiefA], [{ ...base, cycleId: 2 }], today)).toMatchObject({ allowed: false });
      expect(decideApprover(chiefB, entry(), [chiefA], [{ ...base, cycleId: 1 }], today)).toMatchObject({ allowed: true, acting: true });
      expect(decideApprover(chiefB, entry(), [chiefA], [{ ...base, stepKind: 'evaluator' }], today)).toMatchObject({ allowed: false });
      expect(decideApprover(chiefB, entry(), [chiefA], [{ ...base, stepKind: 'section_chief' }], today)).toMatchObject({ allowed: true });
    });

    it('refuses when nothing is pending', () => {
      expect(decideApprover(chiefA, entry({ state: 'draft' }), [], [], today)).toMatchObject({ allowed: false, reason: 'not_pending' });
    });
  });
});

describe('合議', () => {
  const coRoute: ApprovalStep[] = [
    { kind: 'section_chief', label: '所管課長' },
    { kind: 'co_approval', label: '合議', co: { rule: 'all', parties: 'named', userIds: [21, 22, 23] } },
  ];
  const seat = (userId: number, approvedBy: number | null = null) => ({
    key: `u:${userId}`,
    label: `u${userId}`,
    sectionId: null,
    userId,
    holderIds: [userId],
    approvedBy,
    actedBy: approvedBy,
  });
  const at = (over: Partial<EntryRouting>) =>
    entry({ state: 'in_review', currentStep: 1, route: coRoute, seats: [seat(21), seat(22), seat(23)], approverIds: [1], ...over });
  const u = (id: number) => user(id, null, ['evaluator']);

  it('needs every party under "all", and each party once', () => {
    expect(coProgress(at({}))).toMatchObject({ approved: 0, required: 3, done: false });
    const one = at({ seats: [seat(21, 21), seat(22), seat(23)], approverIds: [1, 21] });
    expect(coProgress(one)).toMatchObject({ approved: 1, required: 3, done: false });
    expect(decideApprover(u(21), one, [], [], today)).toMatchObject({ allowed: false });
    expect(openSeatOf(u(22), one)?.key).toBe('u:22');
    expect(approversNow(one, [u(21), u(22), u(23)])).toEqual([22, 23]);
    expect(coProgress(at({ seats: [seat(21, 21), seat(22, 22), seat(23, 23)] }))).toMatchObject({ done: true });
  });

  it('needs one under "any"; a party nobody may act for is passed', () => {
    const any: ApprovalStep[] = [coRoute[0], { ...coRoute[1], co: { rule: 'any', parties: 'named', userIds: [21, 22] } }];
    expect(coProgress(at({ route: any, seats: [seat(21), seat(22, 22)] }))).toMatchObject({ approved: 1, required: 1, done: true });
    // 21 wrote the entry: only 22 and 23 count.
    const p = coProgress(at({ editorIds: [21] }))!;
    expect(p).toMatchObject({ required: 2, done: false });
    expect(p.passed.map((s) => s.key)).toEqual(['u:21']);
  });
});

describe('nextOpenStep', () => {
  it('passes a section-chief step the chief gave by writing the entry, and only such steps', () => {
    expect(nextOpenStep(route, 0, true)).toBe(1);
    expect(nextOpenStep(route, 0, false)).toBe(0);
    expect(nextOpenStep(route, 1, true)).toBe(1);
    expect(nextOpenStep(route, 2, true)).toBe(2);
  });

  it('returns the route length when every step left is given: nothing waits, the entry is accepted', () => {
    const chiefOnly = [{ kind: 'section_chief', label: '所管課長' }] as const;
    expect(nextOpenStep(chiefOnly, 0, true)).toBe(1);
    expect(nextOpenStep(chiefOnly, 0, false)).toBe(0);
    expect(nextOpenStep(route, 3, true)).toBe(3);
  });

  it('passes consecutive chief steps (a route naming the section twice)', () => {
    const twice = [route[0], route[0], route[1]];
    expect(nextOpenStep(twice, 0, true)).toBe(2);
  });
});
