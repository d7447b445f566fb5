import type { Actor } from '@app/domain';
import { EntriesService } from '@app/entries';
import { build, Builder } from '../../../test/utils/builder';
import { createCycleFixture, CycleFixture } from '../../../test/utils/cycle-fixtures';
import { refusal } from '../../../test/utils/refusal';
import { createTestApp, TestApp } from '../../../test/utils/test-app';
import { ApprovalsService } from './approvals.service';

/** ApprovalsService on the real database: approve and return along the default route, and who may not. */
describe('ApprovalsService (real database)', () => {
  let t: TestApp;
  let b: Builder;
  let f: CycleFixture;
  let approvals: ApprovalsService;
  let entries: EntriesService;
  let as: Record<'staffA' | 'chiefA' | 'chiefA2' | 'evaluator' | 'planning', Actor>;
  let cycleId: number;
  let nextNumber = 100;

  beforeAll(async () => {
    t = await createTestApp();
    b = build(t);
    f = await createCycleFixture(t);
    approvals = t.app.get(ApprovalsService);
    entries = t.app.get(EntriesService);
    const chiefA2 = await b.user({ login: 'chief-a2', roles: ['chief'], section: f.sections.a });
    as = {
      staffA: await b.actor(f.users.staffA.id),
      chiefA: await b.actor(f.users.chiefA.id),
      chiefA2: await b.actor(chiefA2),
      evaluator: await b.actor(f.users.evaluator.id),
      planning: await b.actor(f.users.planning.id),
    };
    const templateId = await b.template({ planId: f.planId, by: f.users.planning.id });
    ({ cycleId } = await b.openedCycle({ templateId, periodKey: '2024-H1', by: f.users.planning.id }));
  });
  afterAll(() => t?.close());

  /** A section A entry submitted through EntriesService by `author` (the route's first step settled as it would be). */
  async function submitted(author: Actor) {
    const itemId = await b.item({ planId: f.planId, number: nextNumber++, sections: [f.sections.a] });
    const entry = await b.entry({ cycleId, itemId, sectionId: f.sections.a, state: 'not_started' });
    return entries.submit(entry.id, { version: entry.version, rating: '○', progress: '計画どおり' }, author);
  }
  const row = async (id: number) => (await t.db.query(`SELECT * FROM entries WHERE id = $1`, [id]))[0];
  const audit = (id: number) =>
    t.db.query(`SELECT action, actor_user_id, comment FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 ORDER BY id`, [String(id)]);

  it('approves step by step to accepted, each approval audited under its approver', async () => {
    let entry = await submitted(as.staffA);
    expect(entry).toMatchObject({ state: 'submitted', currentStep: 0 });
    entry = await approvals.approve(entry.id, { version: entry.version }, as.chiefA);
    expect(entry).toMatchObject({ state: 'in_review', currentStep: 1 });
    entry = await approvals.approve(entry.id, { version: entry.version, comment: '確認しました' }, as.evaluator);
    expect(entry).toMatchObject({ state: 'in_review', currentStep: 2 });
    entry = await approvals.approve(entry.id, { version: entry.version }, as.planning);
    expect(entry).toMatchObject({ state: 'accepted' });
    expect((await row(entry.id)).accepted_at).toBeInstanceOf(Date);
    expect(await audit(entry.id)).toEqual([
      { action: 'entry.submit', actor_user_id: as.staffA.id, comment: null },
      { action: 'entry.approve', actor_user_id: as.chiefA.id, comment: null },
      { action: 'entry.approve', actor_user_id: as.evaluator.id, comment: '確認しました' },
      { action: 'entry.approve', actor_user_id: as.planning.id, comment: null },
    ]);
  });

  it('returns with a comment to the section; without one it refuses, naming the field', async () => {
    let entry = await submitted(as.staffA);
    entry = await approvals.approve(entry.id, { version: entry.version }, as.chiefA);
    expect(await refusal(() => approvals.returnEntry(entry.id, { version: entry.version, comment: ' ' }, as.evaluator))).toMatchObject({
      kind: 'invalid',
      details: { field: 'comment' },
    });
    const returned = await approvals.returnEntry(entry.id, { version: entry.version, comment: '数値の根拠を追記してください' }, as.evaluator);
    expect(returned).toMatchObject({ state: 'returned', returnComment: '数値の根拠を追記してください' });
    expect((await audit(entry.id)).at(-1)).toMatchObject({ action: 'entry.return', actor_user_id: as.evaluator.id });
  });

  it('refuses the author approving their own entry (segregation of duties); another chief of the section may', async () => {
    const entry = await submitted(as.chiefA);
    expect(await refusal(() => approvals.approve(entry.id, { version: entry.version }, as.chiefA))).toMatchObject({
      kind: 'forbidden',
      details: { reason: 'own_entry' },
    });
    expect(await refusal(() => approvals.returnEntry(entry.id, { version: entry.version, comment: '差戻し' }, as.chiefA))).toMatchObject({
      details: { reason: 'own_entry' },
    });
    expect(await row(entry.id)).toMatchObject({ state: 'submitted', version: entry.version });
    expect(await approvals.approve(entry.id, { version: entry.version }, as.chiefA2)).toMatchObject({ state: 'in_review', currentStep: 1 });
  });

  it('refuses a stale version and someone who does not hold the step', async () => {
    const entry = await submitted(as.staffA);
    expect(await refusal(() => approvals.approve(entry.id, { version: entry.version - 1 }, as.chiefA))).toMatchObject({
      kind: 'conflict',
      details: { field: 'version' },
    });
    expect(await refusal(() => approvals.approve(entry.id, { version: entry.version }, as.evaluator))).toMatchObject({
      kind: 'forbidden',
      details: { reason: 'not_approver' },
    });
    expect(await row(entry.id)).toMatchObject({ state: 'submitted', version: entry.version });
  });
});
