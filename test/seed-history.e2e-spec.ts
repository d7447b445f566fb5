import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SeedAppModule, SeedHistoryService, SeedService } from '@app/seed';
import { bearer, loginAs } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

describe('demo seed: cycle history from the published reports', () => {
  let t: TestApp;
  let seedApp: INestApplicationContext;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    seedApp = await NestFactory.createApplicationContext(SeedAppModule.forRoot(t.config), { logger: ['error'] });
    await seedApp.get(SeedService).seed();
    const first = await seedApp.get(SeedHistoryService).seed(undefined, '2026-11-21');
    // 2 monthly (the report rates October and December), A–D, action plan FY2021–FY2023,
    // department goals FY2024, and the open half-year.
    expect(first).toEqual({ cyclesCreated: 9, templatesCreated: 6, formsAdded: 0 });
    token = await loginAs(t, 'planning');
  });
  afterAll(async () => {
    await seedApp.close();
    await t.close();
  });

  const templateId = async (code: string) => (await t.db.query(`SELECT id FROM cycle_templates WHERE code = $1`, [code]))[0].id as number;

  it('builds the items × periods matrix of the monthly pledge report (令和5年度) with its symbols', async () => {
    const res = await t
      .http()
      .get(`/api/templates/${await templateId('pledge-monthly')}/matrix?fiscalYear=2023`)
      .set(bearer(token))
      .expect(200);
    expect(res.body.columns.map((c: { label: string }) => c.label)).toEqual(['10月', '12月']);
    const cell = (number: number, section: string) =>
      res.body.rows
        .find((r: { number: number; sectionName: string }) => r.number === number && r.sectionName === section)
        .cells.map((c: { symbol: string }) => c.symbol);
    // From pledge-progress-monthly.txt: No.1 こども支援課 ○, No.4 学校教育課 ×, No.11 職員課 ☆ (October column).
    expect(cell(1, 'こども支援課')).toEqual(['○', '']);
    expect(cell(4, '学校教育課')).toEqual(['×', '']);
    expect(cell(11, '職員課')).toEqual(['☆', '']);
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM entries e JOIN cycles c ON c.id = e.cycle_id WHERE c.period_key = '2023-10' AND e.state = 'accepted'`,
    );
    const symbols = res.body.rows.filter((r: { cells: { symbol: string }[] }) => r.cells[0].symbol !== '').length;
    expect(symbols).toBe(count);
  });

  it('publishes the A–D status list of 令和5年9月末 with the counts of the report (A 37, B 19, C 4, D 0)', async () => {
    const [cycle] = await t.db.query(`SELECT id, state FROM cycles WHERE template_id = $1`, [await templateId('pledge-status-half')]);
    expect(cycle.state).toBe('published');
    const res = await t.http().get(`/api/cycles/${cycle.id}/summary`).set(bearer(token)).expect(200);
    expect(res.body.ratings.map((r: { value: string; count: number }) => `${r.value}${r.count}`)).toEqual(['A37', 'B19', 'C4', 'D0']);
    await t.http().get(`/public/cycles/${cycle.id}`).expect(200);
  });

  it('opens the current half-year so a section chief has work, and a second run adds nothing', async () => {
    const chief = await loginAs(t, 'chief-s13');
    const mine = await t.http().get('/api/entries/mine').set(bearer(chief)).expect(200);
    expect(mine.body.length).toBeGreaterThan(0);
    expect(mine.body.map((e: { cycleLabel: string }) => e.cycleLabel)).toContainEqual(expect.stringContaining('令和8年度 下半期'));
    const [{ slots }] = await t.db.query(`SELECT count(*)::int AS slots FROM reminder_slots`);
    expect(slots).toBeGreaterThan(0);
    const before = await t.db.query(`SELECT count(*)::int AS cycles, (SELECT count(*)::int FROM entries) AS entries FROM cycles`);
    expect(await seedApp.get(SeedHistoryService).seed(undefined, '2026-11-21')).toEqual({ cyclesCreated: 0, templatesCreated: 0, formsAdded: 0 });
    expect(await t.db.query(`SELECT count(*)::int AS cycles, (SELECT count(*)::int FROM entries) AS entries FROM cycles`)).toEqual(before);
  });
});
