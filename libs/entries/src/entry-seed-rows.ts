import type { EntityManager } from 'typeorm';

/** A published rating the demo seed takes into a historic cycle, for the entry of (item, section). */
export interface HistoricEntryValues {
  itemId: number;
  sectionId: number;
  rating: string;
  progress: string | null;
  fiscalGoal?: string | null;
  shortTermPlan?: string | null;
  reason?: string | null;
  /** The entry's own fields beyond the built-in columns. */
  values?: Record<string, unknown>;
}

/**
 * The demo seed's write of entries (libs/seed): the open cycle's entries of these (item, section)
 * pairs take the published values and are accepted, in one statement, in the seed's transaction
 * (which audits it, once for the cycle). Returns how many entries were accepted.
 */
export async function acceptHistoricEntries(em: EntityManager, cycleId: number, entries: readonly HistoricEntryValues[]): Promise<number> {
  const column = <K extends keyof HistoricEntryValues>(k: K) => entries.map((e) => e[k] ?? null);
  const [, count]: [unknown, number] = await em.query(
    `UPDATE entries e SET rating = v.rating, progress = v.progress, fiscal_goal = v.fiscal_goal,
            short_term_plan = v.short_term_plan, reason = v.reason, "values" = e."values" || v.vals::jsonb,
            state = 'accepted', accepted_at = now(), submitted_at = now(), version = e.version + 1, updated_at = now()
       FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
            AS v(item_id, section_id, rating, progress, fiscal_goal, short_term_plan, reason, vals)
      WHERE e.cycle_id = $1 AND e.item_id = v.item_id AND e.section_id = v.section_id`,
    [
      cycleId,
      column('itemId'),
      column('sectionId'),
      column('rating'),
      column('progress'),
      column('fiscalGoal'),
      column('shortTermPlan'),
      column('reason'),
      entries.map((e) => JSON.stringify(e.values ?? {})),
    ],
  );
  return count;
}
