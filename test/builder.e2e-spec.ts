import { CyclesService } from '@app/cycles';
import { build, Builder } from './utils/builder';
import { createTestApp, TestApp } from './utils/test-app';

/** The builder keeps the invariants it promises (test/utils/builder.ts): what every suite's fixtures rest on. */
describe('test-data builder', () => {
  let t: TestApp;
  let b: Builder;

  beforeAll(async () => {
    t = await createTestApp();
    b = build(t);
  });
  afterAll(() => t?.close());

  it('gives a section its name history, the current name being the last period', async () => {
    const plain = await b.section({ name: '財政課' });
    const renamed = await b.section({
      nameHistory: [
        { name: '情報管理課', validFrom: '2018-04-01', validTo: '2022-03-31' },
        { name: '情報政策課', validFrom: '2022-04-01' },
      ],
    });
    const history = (id: number) =>
      t.db.query(
        `SELECT name, to_char(valid_from, 'YYYY-MM-DD') AS "from", to_char(valid_to, 'YYYY-MM-DD') AS "to" FROM section_names WHERE section_id = $1 ORDER BY valid_from`,
        [id],
      );
    expect(await history(plain)).toEqual([{ name: '財政課', from: '2020-04-01', to: null }]);
    expect(await history(renamed)).toEqual([
      { name: '情報管理課', from: '2018-04-01', to: '2022-03-31' },
      { name: '情報政策課', from: '2022-04-01', to: null },
    ]);
    expect((await t.db.query(`SELECT name FROM sections WHERE id = $1`, [renamed]))[0].name).toBe('情報政策課');
  });

  it('makes users who sign in with password and need no password change; refuses a user without roles', async () => {
    const section = await b.section();
    const user = await b.signedIn({ login: 'builder-chief', roles: ['chief'], section });
    const me = await t
      .http()
      .get('/api/auth/me')
      .set({ Authorization: `Bearer ${user.token}` })
      .expect(200);
    expect(me.body).toMatchObject({ id: user.id, roles: ['chief'], sectionId: section });
    expect((await t.db.query(`SELECT password_change_required FROM users WHERE id = $1`, [user.id]))[0].password_change_required).toBe(false);
    await expect(b.user({ login: 'nobody', roles: [] })).rejects.toThrow('at least one role');
  });

  it('opens a cycle through CyclesService: rules kept, one entry per item × section; entries in a state only there', async () => {
    const departmentId = await b.department();
    const [a, c] = [await b.section({ departmentId }), await b.section({ departmentId })];
    const planning = await b.user({ roles: ['planning'], section: c });
    const planId = await b.plan();
    const [i1, i2] = [await b.item({ planId, number: 1, sections: [a, c] }), await b.item({ planId, number: 2, sections: [a] })];
    const templateId = await b.template({ planId, by: planning });
    const { cycleId, createdEntries } = await b.openedCycle({ templateId, periodKey: '2024-H1', by: planning });
    expect(createdEntries).toBe(3);
    const [cycle] = await t.db.query(`SELECT state, rules->>'scaleCode' AS scale FROM cycles WHERE id = $1`, [cycleId]);
    expect(cycle).toEqual({ state: 'open', scale: 'progress4' });

    const i3 = await b.item({ planId, number: 3, sections: [c] });
    const entry = await b.entry({ cycleId, itemId: i3, sectionId: c, state: 'submitted', author: planning, editor: planning });
    expect(entry).toMatchObject({ state: 'submitted', current_step: 0, author_user_id: planning, rating: '○' });
    await expect(b.entry({ cycleId, itemId: i2, sectionId: c, state: 'draft' })).rejects.toThrow('not answered for');
    const { cycle: draft } = await t.app.get(CyclesService).ensure({ templateId, periodKey: '2024-H2' }, null);
    await expect(b.entry({ cycleId: draft.id, itemId: i1, sectionId: a, state: 'draft' })).rejects.toThrow('not opened');
  });
});
