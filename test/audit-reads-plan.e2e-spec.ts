import { ENTRY_APPROVALS_SQL } from '@app/audit';
import { FACTS_SQL, ONE_ENTRY_FACTS_SQL } from '../libs/approvals/src/approval-routing.service';
import { EDITING_AUDIT_ACTIONS } from '../libs/approvals/src/domain/approval-route';
import { build } from './utils/builder';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * The audit log grows by every save and approval of every year; the reads of one entry's history
 * on the approve path and in the reports must find its rows by the index, under row-level
 * security too, where only a leakproof condition may be an index condition (a cast of an id
 * column is not one: it made the condition a filter over every entry row of the log).
 */
describe('audit reads of one entry use the subject index under row-level security', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await build(t).auditHistory({ subjects: 2_000, perSubject: 10 });
  });
  afterAll(() => t?.close());

  /** The plan as the application's role (not the owner, who bypasses row-level security) gets it. */
  const plan = (sql: string, params: unknown[]) =>
    t.db.transaction(async (em) => {
      const [{ bypass }] = await em.query(`SELECT rolbypassrls OR rolsuper AS bypass FROM pg_roles WHERE rolname = current_user`);
      expect(bypass).toBe(false);
      // The history is still small for a whole log: the planner could rightly scan it all.
      await em.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await em.query(`EXPLAIN ${sql}`, params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  /** Each scan of audit_log in the plan, with the lines under it up to the next node. */
  const auditScans = (text: string) => text.split(/\n(?=\s*->)/).filter((node) => / on audit_log\b/.test(node));

  it('reads the writers and approvers of entries (the inbox) and of one entry (the approve path) by subject', async () => {
    for (const [sql, ids] of [
      [FACTS_SQL, ['1', '2']],
      [ONE_ENTRY_FACTS_SQL, '1'],
    ] as const) {
      const scans = auditScans(await plan(sql, [ids, EDITING_AUDIT_ACTIONS]));
      expect(scans.length).toBeGreaterThanOrEqual(3);
      for (const scan of scans) expect(scan).toMatch(/Index Cond: .*subject_id = /);
    }
  });

  it("keeps the approve path's read of one entry on its prepared plan instead of planning it at every approval", async () => {
    const plans = await t.db.transaction(async (em) => {
      await em.query(`PREPARE one_entry_facts(text, text[]) AS ${ONE_ENTRY_FACTS_SQL}`);
      // PostgreSQL plans the first five runs for their parameters, then keeps the generic plan if it costs no more.
      // EXECUTE takes no bind parameters: the values are literals here (ids and the fixed action names).
      const actions = `'{${EDITING_AUDIT_ACTIONS.join(',')}}'`;
      for (let id = 1; id <= 8; id++) await em.query(`EXECUTE one_entry_facts('${id}', ${actions})`);
      const [row] = await em.query(
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'one_entry_facts'`,
      );
      await em.query('DEALLOCATE one_entry_facts');
      return row;
    });
    expect(plans).toEqual({ generic: 3, custom: 5 });
  });

  it("reads an entry's approvals since its submission (reports, exports) by subject", async () => {
    const scans = auditScans(await plan(ENTRY_APPROVALS_SQL, [['1'], [null]]));
    expect(scans.length).toBe(1);
    expect(scans[0]).toMatch(/Index Cond: .*subject_id = /);
  });
});
