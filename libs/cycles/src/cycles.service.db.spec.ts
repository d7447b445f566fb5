import type { Actor } from '@app/domain';
import { ApprovalsService } from '@app/approvals';
import { EntriesService } from '@app/entries';
import { build, Builder } from '../../../test/utils/builder';
import { createCycleFixture, CycleFixture } from '../../../test/utils/cycle-fixtures';
import { refusal } from '../../../test/utils/refusal';
import { createTestApp, TestApp } from '../../../test/utils/test-app';
import { CyclesService } from './cycles.service';

/** CyclesService on the real database: an opening that can run any number of times, and the ways a cycle closes. */
describe('CyclesService (real database)', () => {
  let t: TestApp;
  let b: Builder;
  let f: CycleFixture;
  let cycles: CyclesService;
  let planning: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    b = build(t);
    f = await createCycleFixture(t);
    cycles = t.app.get(CyclesService);
    planning = await b.actor(f.users.planning.id);
  });
  afterAll(() => t?.close());

  const entriesOf = (cycleId: number): Promise<{ item_id: number; section_id: number; state: string }[]> =>
    t.db.query(`SELECT item_id, section_id, state FROM entries WHERE cycle_id = $1 ORDER BY item_id, section_id`, [cycleId]);
  const cycleAudit = async (cycleId: number) =>
    (await t.db.query(`SELECT action FROM audit_log WHERE subject_type = 'cycle' AND subject_id = $1 ORDER BY id`, [String(cycleId)])).map(
      (r: { action: string }) => r.action,
    );

  it('creates a period once and opens it once: the rules kept, one entry per item × section; opening again adds only what is new', async () => {
    const templateId = await b.template({ planId: f.planId, by: planning.id, code: 'idem' });
    const first = await cycles.ensure({ templateId, periodKey: '2024-H1' }, planning);
    const again = await cycles.ensure({ templateId, date: '2024-06-30' }, planning);
    expect([first.created, again.created, again.cycle.id]).toEqual([true, false, first.cycle.id]);
    const cycleId = first.cycle.id;

    const opened = await cycles.act(cycleId, { action: 'open' }, planning);
    expect(opened.createdEntries).toBe(4);
    expect(opened.cycle).toMatchObject({ state: 'open', rules: { scaleCode: 'progress4' } });
    expect(opened.cycle.rules?.approvalRoute.map((s) => s.kind)).toEqual(['section_chief', 'evaluator', 'planning']);
    expect(await entriesOf(cycleId)).toEqual([
      { item_id: f.items[0], section_id: f.sections.a, state: 'not_started' },
      { item_id: f.items[0], section_id: f.sections.b, state: 'not_started' },
      { item_id: f.items[1], section_id: f.sections.a, state: 'not_started' },
      { item_id: f.items[2], section_id: f.sections.c, state: 'not_started' },
    ]);
    const audited = await cycleAudit(cycleId);

    const reopened = await cycles.act(cycleId, { action: 'open' }, planning);
    expect(reopened).toMatchObject({ createdEntries: 0, cycle: { state: 'open', version: opened.cycle.version } });
    expect(await cycleAudit(cycleId)).toEqual(audited);

    const added = await b.item({ planId: f.planId, number: 4, title: '追加された公約', sections: [f.sections.b] });
    const afterAdd = await cycles.act(cycleId, { action: 'open' }, planning);
    expect(afterAdd.createdEntries).toBe(1);
    expect((await entriesOf(cycleId)).filter((e) => e.item_id === added)).toEqual([{ item_id: added, section_id: f.sections.b, state: 'not_started' }]);
  });

  it('refuses a close while entries are not accepted; a forced close needs a reason and marks them 未提出', async () => {
    const templateId = await b.template({ planId: f.planId, by: planning.id, code: 'force' });
    const { cycleId } = await b.openedCycle({ templateId, periodKey: '2024-H1', by: planning.id });
    const count = (await entriesOf(cycleId)).length;
    expect(await refusal(() => cycles.act(cycleId, { action: 'close' }, planning))).toMatchObject({ kind: 'conflict' });
    expect(await refusal(() => cycles.act(cycleId, { action: 'force_close', reason: ' ' }, planning))).toMatchObject({
      kind: 'invalid',
      details: { field: 'reason' },
    });
    expect((await cycles.get(cycleId)).state).toBe('open');

    const closed = await cycles.act(cycleId, { action: 'force_close', reason: '期限超過のため' }, planning);
    expect(closed).toMatchObject({ markedNotSubmitted: count, markedNotApproved: 0, cycle: { state: 'closed' } });
    expect(closed.cycle.closedAt).toBeInstanceOf(Date);
    expect(new Set((await entriesOf(cycleId)).map((e) => e.state))).toEqual(new Set(['not_submitted']));
    expect(await refusal(() => cycles.act(cycleId, { action: 'force_close', reason: '再度' }, planning))).toMatchObject({ kind: 'conflict' });
  });

  it('closes a cycle whose every entry is accepted', async () => {
    const planId = await b.plan({ code: 'one-item' });
    const itemId = await b.item({ planId, number: 1, sections: [f.sections.a] });
    const templateId = await b.template({ planId, by: planning.id, code: 'close' });
    const { cycleId } = await b.openedCycle({ templateId, periodKey: '2024-H1', by: planning.id });
    const [{ id }] = await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND item_id = $2`, [cycleId, itemId]);
    const approvals = t.app.get(ApprovalsService);
    let entry = await t.app.get(EntriesService).submit(id, { version: 1, rating: '○', progress: '完了' }, await b.actor(f.users.staffA.id));
    for (const approver of [f.users.chiefA.id, f.users.evaluator.id, planning.id]) {
      entry = await approvals.approve(id, { version: entry.version }, await b.actor(approver));
    }
    expect(entry.state).toBe('accepted');

    const closed = await cycles.act(cycleId, { action: 'close' }, planning);
    expect(closed.cycle).toMatchObject({ state: 'closed' });
    expect(await cycleAudit(cycleId)).toEqual(['cycle.create', 'cycle.open', 'cycle.close']);
  });
});
