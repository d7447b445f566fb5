import { tokyoToday } from '@app/domain';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const HEAD_ITEMS = 120;
const NAMED_ITEMS = 30;
const OWN_WRITTEN = 5;

/**
 * The approver inbox in pages: an evaluator with many waiting entries gets them a page at a
 * time, only their own (entries at their step of items they evaluate, not those they wrote),
 * in the documented order (deadline, cycle, section, item number), the next page continuing
 * where the last ended.
 */
describe('approvals: the inbox is paged and holds only my own work', () => {
  let t: TestApp;
  let f: CycleFixture;
  let evaluator2: { id: number; token: string };
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const b = build(t);
    const u = { id: await b.user({ login: 'eval-2', name: '評価者2', roles: ['evaluator'] }) };
    const login = await t.http().post('/api/auth/login').send({ login: 'eval-2', password: 'password' }).expect(200);
    evaluator2 = { id: u.id, token: login.body.accessToken };
    // Items 1..120 have no named evaluator (the department head, f.users.evaluator, evaluates
    // them); 121..150 are eval-2's. Every item is reported by section A.
    const plan = { id: await b.plan({ code: 'many', name: '多数の事業', kind: 'program' }) };
    await b.items({
      planId: plan.id,
      count: HEAD_ITEMS + NAMED_ITEMS,
      firstNumber: 1,
      title: '事業',
      sections: [f.sections.a],
      evaluator: (n) => (n > HEAD_ITEMS ? evaluator2.id : null),
    });
    const planning = auth(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning)
      .send({ code: 'many-m', name: '多数 月次', planId: plan.id, periodType: 'monthly', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(planning).send({ templateId: tpl.body.id, date: tokyoToday() }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(planning).send({ action: 'open' }).expect(200);
    // Every entry waits at the evaluator's step (step 1 of the default route), written by staff-a;
    // five of the head's were written by the head, who may then not approve them.
    await t.db.query(
      `UPDATE entries SET state = 'in_review', current_step = 1, submitted_at = now(), author_user_id = $2, last_edited_by = $2 WHERE cycle_id = $1`,
      [cycle.body.id, f.users.staffA.id],
    );
    await t.db.query(`UPDATE entries e SET author_user_id = $2 FROM plan_items i WHERE i.id = e.item_id AND e.cycle_id = $1 AND i.number <= $3`, [
      cycle.body.id,
      f.users.evaluator.id,
      OWN_WRITTEN,
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const entriesOf = (body: any): { id: number; itemNumber: number }[] => body.groups.flatMap((g: any) => g.sections.flatMap((s: any) => s.entries));

  async function allPages(token: string, limit: number) {
    const pages: any[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: any } = await t
        .http()
        .get('/api/approvals/inbox')
        .query(cursor ? { limit, cursor } : { limit })
        .set(auth(token))
        .expect(200);
      pages.push(res.body);
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  it("pages the head's inbox in item order, without what the head wrote, a second page continuing the first", async () => {
    const pages = await allPages(f.users.evaluator.token, 50);
    const expected = HEAD_ITEMS - OWN_WRITTEN;
    expect(pages.map((p) => entriesOf(p).length)).toEqual([50, 50, expected - 100]);
    expect(pages.map((p) => p.total)).toEqual([expected, expected, expected]);
    expect(pages[2].nextCursor).toBeNull();
    const numbers = pages.flatMap((p) => entriesOf(p).map((e) => e.itemNumber));
    expect(numbers).toEqual(Array.from({ length: expected }, (_, i) => OWN_WRITTEN + 1 + i));
    // Each group's count is the whole section's, not the page's.
    expect(pages[0].groups[0].sections[0]).toMatchObject({ sectionId: f.sections.a, count: expected });
    expect(pages[0].groups[0].count).toBe(expected);
  });

  it('gives eval-2 only the items named for them, and without paging parameters the first page of 50', async () => {
    const res = await t.http().get('/api/approvals/inbox').set(auth(evaluator2.token)).expect(200);
    expect(res.body).toMatchObject({ total: NAMED_ITEMS, limit: 50, nextCursor: null });
    expect(entriesOf(res.body).map((e) => e.itemNumber)).toEqual(Array.from({ length: NAMED_ITEMS }, (_, i) => HEAD_ITEMS + 1 + i));
    const chief = await t.http().get('/api/approvals/inbox').set(auth(f.users.chiefA.token)).expect(200);
    expect(chief.body).toMatchObject({ total: 0, groups: [], nextCursor: null });
  });

  it('answers 400 naming the field for a bad cursor or page size', async () => {
    const bad = await t.http().get('/api/approvals/inbox').query({ cursor: 'not-a-cursor' }).set(auth(f.users.evaluator.token)).expect(400);
    expect(JSON.stringify(bad.body)).toContain('cursor');
    const zero = await t.http().get('/api/approvals/inbox').query({ limit: 0 }).set(auth(f.users.evaluator.token)).expect(400);
    expect(JSON.stringify(zero.body)).toContain('limit');
    await t.http().get('/api/approvals/inbox').query({ limit: 201 }).set(auth(f.users.evaluator.token)).expect(400);
  });
});
