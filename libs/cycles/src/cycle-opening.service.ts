import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { allowLongStatements } from '@app/database';

const ANALYZE_AFTER_ROWS = 5000;

/**
 * Creates one entry per item × responsible section for a cycle, carrying the plan text
 * and rating forward from the template's previous cycle. One INSERT ... SELECT with
 * ON CONFLICT DO NOTHING: running it again, or concurrently, creates nothing twice.
 */
@Injectable()
export class CycleOpeningService {
  async createEntries(em: EntityManager, cycleId: number): Promise<number> {
    // Tens of thousands of rows with their audit and reminder slots, in one transaction: 1 s for
    // 50,000 in the benchmark, but 13 s with stale statistics; the default timeout would cut it.
    await allowLongStatements(em);
    await this.refreshStatistics(em);
    const [previous] = await em.query(
      `SELECT p.id FROM cycles c
         JOIN cycles p ON p.template_id = c.template_id AND p.period_end < c.period_start
        WHERE c.id = $1
        ORDER BY p.period_end DESC LIMIT 1`,
      [cycleId],
    );
    const rows = await em.query(
      `INSERT INTO entries (cycle_id, item_id, section_id, state, fiscal_goal, short_term_plan,
                            previous_entry_id, previous_rating)
       SELECT c.id, pis.item_id, pis.section_id, 'not_started', prev.fiscal_goal, prev.short_term_plan,
              prev.id, prev.rating
         FROM cycles c
         JOIN cycle_templates t ON t.id = c.template_id
         JOIN plan_items pi ON pi.plan_id = t.plan_id
         JOIN plan_item_sections pis ON pis.item_id = pi.id
         JOIN sections s ON s.id = pis.section_id AND s.active
         LEFT JOIN entries prev ON prev.cycle_id = $2 AND prev.item_id = pis.item_id AND prev.section_id = pis.section_id
        WHERE c.id = $1
       ON CONFLICT (cycle_id, item_id, section_id) DO NOTHING
       RETURNING id`,
      [cycleId, previous?.id ?? null],
    );
    // A large insert leaves the planner's statistics far behind; the next opening joins this
    // cycle's entries as "previous" and would pick a nested loop over a table it thinks is empty.
    if (rows.length >= ANALYZE_AFTER_ROWS) await em.query('ANALYZE entries');
    return rows.length;
  }

  /**
   * Plan items are imported by the thousand just before a cycle opens; until autovacuum gets
   * to them the planner thinks the tables are empty and joins them by nested loops (13 s
   * instead of 1 s for 50,000 entries in the benchmark). ANALYZE reads a bounded sample
   * (tens of ms even for large tables), and a cycle opens a few times a year, so it always runs.
   * (pg_stat_user_tables cannot tell: its counters reach it up to a second after the import.)
   */
  private async refreshStatistics(em: EntityManager): Promise<void> {
    await em.query('ANALYZE plan_items, plan_item_sections, sections');
  }
}
