import { AuditService } from '@app/audit';
import { SeedService } from '@app/seed';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, loginAs } from './utils/factories';

describe('demo seed (e2e)', () => {
  let t: TestApp;
  let seed: SeedService;

  beforeAll(async () => {
    t = await createTestApp();
    seed = new SeedService(t.db, new AuditService(t.db), t.config);
  });
  afterAll(() => t.close());

  const snapshot = () =>
    t.db.query(
      `SELECT (SELECT count(*)::int FROM departments) AS departments, (SELECT count(*)::int FROM sections) AS sections,
              (SELECT count(*)::int FROM section_names) AS names, (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM plan_items) AS items,
              (SELECT count(*)::int FROM plan_item_sections) AS responsibilities,
              (SELECT count(*)::int FROM plan_item_kpis) AS kpis,
              (SELECT max(updated_at) FROM plan_items) AS last_item_update`,
    );

  it('seeds once, and a second run changes nothing', async () => {
    const first = await seed.seed();
    // 14 departments and 41 sections of the pledge reports, 28 sections more for the action
    // plan's 担当課, 7 departments and 28 sections for the department goals; users: admin,
    // planning, one evaluator per department, a chief and a staff member per section, and the
    // 5 参事 evaluating the demo programs. Items: 45 + 60 pledges, 105 action-plan rows, 47
    // department goals, 5 demo programs with 11 KPIs.
    expect(first).toEqual({
      departments: { created: 21, total: 21 },
      sections: { created: 97, total: 97 },
      users: { created: 2 + 21 + 97 * 2 + 5, total: 222 },
      plans: { created: 5, total: 5 },
      items: { created: 45 + 60 + 105 + 47 + 5, total: 262 },
      kpis: { created: 11, total: 11 },
    });
    const before = await snapshot();
    // Every section's name, and the two former names the action plan prints (情報管理課, 子ども政策課).
    expect(before[0]).toMatchObject({ names: 97 + 2 });
    const second = await seed.seed();
    expect(Object.values(second).map((c) => c.created)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Object.values(second).map((c) => c.total)).toEqual([21, 97, 222, 5, 262, 11]);
    expect(await snapshot()).toEqual(before);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'seed.run'`);
    expect(count).toBe(1);
  });

  it('shows the 45 pledges to the planning user through the api', async () => {
    const token = await loginAs(t, 'planning');
    const plans = await t.http().get('/api/plans').set(bearer(token)).expect(200);
    const pledges = plans.body.find((p: { code: string }) => p.code === 'pledges-2023');
    expect(pledges).toMatchObject({ name: '市長公約 重点政策No.1~45', kind: 'pledge', itemCount: 45 });
    const items = await t.http().get(`/api/plans/${pledges.id}/items`).set(bearer(token)).expect(200);
    expect(items.body.map((i: { number: number }) => i.number)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    const names = (n: number) => items.body.find((i: { number: number }) => i.number === n).sections.map((s: { sectionName: string }) => s.sectionName);
    expect(names(8)).toEqual(['高齢者支援課', '障害福祉課']);
    expect(names(4)).toEqual(['学校教育課', '教育総務課']);
    expect(names(34)).toEqual(['危機管理室', '道路建設課', '水道建設課', '給水管理課', '下水道整備課', '下水道維持課']);
    expect(items.body[0]).toMatchObject({ title: '18歳までの医療費完全無料化', targetDateText: 'R6.10' });
  });

  it('seeds the A-D status plan with chapters and sub-items', async () => {
    const token = await loginAs(t, 'admin');
    const plans = await t.http().get('/api/plans').set(bearer(token)).expect(200);
    const status = plans.body.find((p: { code: string }) => p.code === 'pledge-status');
    expect(status).toMatchObject({ name: '市長公約（政策宣言）進捗状況', itemCount: 60 });
    const first = await t
      .http()
      .get(`/api/plans/${status.id}/items?chapter=${encodeURIComponent('第1章 デジタル未来都市')}`)
      .set(bearer(token))
      .expect(200);
    expect(first.body.map((i: { number: number; subNumber: string }) => `${i.number}${i.subNumber}`)).toEqual(['1①', '1②', '2①', '2②', '3①', '3②', '4①', '4②']);
    expect(first.body[0]).toMatchObject({ title: 'デジタル未来都市推進部門の設置', sections: [{ sectionName: 'デジタル戦略課' }] });
  });

  it('creates working demo users: evaluators head their department, chiefs see their section items', async () => {
    const [dept] = await t.db.query(`SELECT u.login FROM departments d JOIN users u ON u.id = d.head_user_id WHERE d.code = 'kodomo'`);
    expect(dept.login).toBe('eval-kodomo');
    const [chief] = await t.db.query(`SELECT u.login, s.name, u.email FROM users u JOIN sections s ON s.id = u.section_id WHERE u.login = 'chief-s13'`);
    expect(chief).toEqual({ login: 'chief-s13', name: 'こども支援課', email: 'chief-s13@example.jp' });
    const token = await loginAs(t, 'chief-s13');
    const [plan] = await t.db.query(`SELECT id FROM plans WHERE code = 'pledges-2023'`);
    const items = await t.http().get(`/api/plans/${plan.id}/items`).set(bearer(token)).expect(200);
    expect(items.body.map((i: { number: number }) => i.number)).toEqual([1, 13]);
    await loginAs(t, 'staff-s41');
    await loginAs(t, 'eval-suido');
  });
});
