import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CycleEntryWriter, CycleEntryWriterSource, MovedEntry } from '@app/cycles';
import type { EntryState } from '@app/domain';

const ANALYZE_AFTER_ROWS = 5000;

/** The entries' side of opening and force-closing a cycle, registered in CycleEntryWriter. */
@Injectable()
export class EntryCycleWrites implements CycleEntryWriterSource, OnModuleInit {
  constructor(private readonly writer: CycleEntryWriter) {}

  onModuleInit(): void {
    this.writer.register(this);
  }

  async createEntries(em: EntityManager, cycleId: number, previousCycleId: number | null, pairs: { itemIds: number[]; sectionIds: number[] }): Promise<number> {
    if (!pairs.itemIds.length) return 0;
    const rows = await em.query(
      `INSERT INTO entries (cycle_id, item_id, section_id, state, fiscal_goal, short_term_plan,
                            previous_entry_id, previous_rating)
       SELECT $1, p.item_id, p.section_id, 'not_started', prev.fiscal_goal, prev.short_term_plan, prev.id, prev.rating
         FROM unnest($3::int[], $4::int[]) p(item_id, section_id)
         LEFT JOIN entries prev ON prev.cycle_id = $2 AND prev.item_id = p.item_id AND prev.section_id = p.section_id
       ON CONFLICT (cycle_id, item_id, section_id) DO NOTHING
       RETURNING id`,
      [cycleId, previousCycleId, pairs.itemIds, pairs.sectionIds],
    );
    // A large insert leaves the planner's statistics far behind; the next opening joins this
    // cycle's entries as "previous" and would pick a nested loop over a table it thinks is empty.
    if (rows.length >= ANALYZE_AFTER_ROWS) await em.query('ANALYZE entries');
    return rows.length;
  }

  async countNotAccepted(em: EntityManager, cycleId: number): Promise<number> {
    const [row] = await em.query(`SELECT count(*)::int AS open FROM entries WHERE cycle_id = $1 AND state <> 'accepted'`, [cycleId]);
    return row.open;
  }

  moveBySystem(em: EntityManager, cycleId: number, from: readonly EntryState[], to: EntryState, editedBy: number | null): Promise<MovedEntry[]> {
    // A SELECT over the data-modifying CTEs: TypeORM answers the rows themselves.
    return em.query(
      `WITH moved AS (
         UPDATE entries e SET state = $3, version = e.version + 1, updated_at = now()
           FROM entries old
          WHERE e.id = old.id AND e.cycle_id = $1 AND e.state = ANY($2)
          RETURNING e.*, old.state AS old_state
       ), versions AS (
         INSERT INTO entry_versions (entry_id, version, state, data, edited_by)
         SELECT id, version, state,
                jsonb_build_object('rating', rating, 'progress', progress, 'fiscalGoal', fiscal_goal, 'shortTermPlan', short_term_plan,
                                   'kpiActuals', kpi_actuals, 'reason', reason, 'nextSteps', next_steps, 'values', "values"),
                $4::int
           FROM moved
       )
       SELECT id, old_state AS state, current_step AS "currentStep", item_id AS "itemId", section_id AS "sectionId" FROM moved`,
      [cycleId, [...from], to, editedBy],
    );
  }
}
