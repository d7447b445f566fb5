import type { Actor } from '@app/domain';
import { build, Builder } from '../../../test/utils/builder';
import { createCycleFixture, CycleFixture } from '../../../test/utils/cycle-fixtures';
import { refusal } from '../../../test/utils/refusal';
import { createTestApp, TestApp } from '../../../test/utils/test-app';
import { EntriesService } from './entries.service';

/** EntriesService on the real database: what a save and a submit leave in the rows, and the version lock. */
describe('EntriesService (real database)', () => {
  let t: TestApp;
  let b: Builder;
  let f: CycleFixture;
  let entries: EntriesService;
  let staffA: Actor;
  let chiefB: Actor;
  let cycleId: number;

  beforeAll(async () => {
    t = await createTestApp();
    b = build(t);
    f = await createCycleFixture(t);
    entries = t.app.get(EntriesService);
    staffA = await b.actor(f.users.staffA.id);
    chiefB = await b.actor(f.users.chiefB.id);
    const templateId = await b.template({ planId: f.planId, by: f.users.planning.id });
    ({ cycleId } = await b.openedCycle({ templateId, periodKey: '2024-H1', by: f.users.planning.id }));
  });
  afterAll(() => t?.close());

  /** A section A entry the opening created, untouched (one per item of the fixture's A items). */
  const openedEntry = async (itemIndex: number) =>
    (
      await t.db.query(`SELECT id, version, state FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
        cycleId,
        f.items[itemIndex],
        f.sections.a,
      ])
    )[0] as { id: number; version: number; state: string };
  const row = async (id: number) => (await t.db.query(`SELECT * FROM entries WHERE id = $1`, [id]))[0];
  const audit = (id: number) =>
    t.db.query(`SELECT action, actor_user_id FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 ORDER BY id`, [String(id)]);

  it('saves a draft: the values, the next version, the editor and an audit row', async () => {
    const entry = await openedEntry(0);
    expect(entry).toMatchObject({ state: 'not_started', version: 1 });
    const saved = await entries.save(entry.id, { version: 1, progress: '下書きの進捗' }, staffA);
    expect(saved).toMatchObject({ state: 'draft', version: 2, progress: '下書きの進捗', lastEditedBy: staffA.id, authorUserId: null });
    expect(await row(entry.id)).toMatchObject({ state: 'draft', version: 2, progress: '下書きの進捗', last_edited_by: staffA.id, submitted_at: null });
    expect(await audit(entry.id)).toEqual([{ action: 'entry.save', actor_user_id: staffA.id }]);
  });

  it('submits: the author, the time, the route start; a stale version is refused with the current one and changes nothing', async () => {
    const entry = await openedEntry(1);
    const first = await entries.save(entry.id, { version: 1, progress: '一度目' }, staffA);
    const stale = await refusal(() => entries.save(entry.id, { version: 1, progress: '古い版から' }, staffA));
    expect(stale).toMatchObject({ kind: 'conflict', details: { field: 'version', currentVersion: first.version } });
    expect(await row(entry.id)).toMatchObject({ progress: '一度目', version: first.version });

    const submitted = await entries.submit(entry.id, { version: first.version, rating: '○', progress: '計画どおり' }, staffA);
    expect(submitted).toMatchObject({ state: 'submitted', currentStep: 0, authorUserId: staffA.id, version: first.version + 1 });
    const stored = await row(entry.id);
    expect(stored).toMatchObject({ state: 'submitted', rating: '○', author_user_id: staffA.id });
    expect(stored.submitted_at).toBeInstanceOf(Date);
    expect((await audit(entry.id)).map((a: { action: string }) => a.action)).toEqual(['entry.save', 'entry.submit']);
    // Submitted: no more draft saves, whatever the version.
    expect(await refusal(() => entries.save(entry.id, { version: submitted.version, progress: '提出後' }, staffA))).toMatchObject({ kind: 'conflict' });
  });

  it('refuses a submit missing what the form requires, naming the field, and a writer of another section', async () => {
    const entry = await openedEntry(0);
    const current = await row(entry.id);
    const missing = await refusal(() => entries.submit(entry.id, { version: current.version, rating: null }, staffA));
    expect(missing).toMatchObject({ kind: 'invalid', details: { field: 'rating' } });
    expect(await refusal(() => entries.save(entry.id, { version: current.version, progress: '他課から' }, chiefB))).toMatchObject({ kind: 'forbidden' });
    expect(await row(entry.id)).toMatchObject({ state: 'draft', version: current.version, progress: '下書きの進捗' });
  });
});
