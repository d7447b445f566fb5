import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EntryState } from '@app/domain';

/** An entry as other libs locate it: where it is and how far it went, none of what was written. */
export interface EntryRefRow {
  id: number;
  cycleId: number;
  itemId: number;
  sectionId: number;
  state: EntryState;
  version: number;
  currentStep: number;
  authorUserId: number | null;
}

const REF_COLUMNS = `id, cycle_id AS "cycleId", item_id AS "itemId", section_id AS "sectionId", state, version,
  current_step AS "currentStep", author_user_id AS "authorUserId"`;

/**
 * Typed reads of entries for the libs that do not own them (reminders, personnel): plain rows,
 * batched by ids (one query whatever their number), in the caller's transaction when one is
 * passed. Names of items, sections and people come from their owners (plan-items, org).
 */
@Injectable()
export class EntryLookupService {
  constructor(private readonly dataSource: DataSource) {}

  /** The entries with these ids, ascending. */
  async entriesByIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<EntryRefRow[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    return em.query(`SELECT ${REF_COLUMNS} FROM entries WHERE id = ANY($1::int[]) ORDER BY id`, [wanted]);
  }

  /** The entries of these cycles (in one of `states`, when given; of these sections, when given), ascending. */
  async entriesOfCycles(
    cycleIds: readonly number[],
    filter: { states?: readonly EntryState[] | readonly string[]; sectionIds?: readonly number[] } = {},
    em: EntityManager = this.dataSource.manager,
  ): Promise<EntryRefRow[]> {
    if (!cycleIds.length || filter.sectionIds?.length === 0) return [];
    return em.query(
      `SELECT ${REF_COLUMNS} FROM entries
        WHERE cycle_id = ANY($1::int[]) AND ($2::text[] IS NULL OR state = ANY($2)) AND ($3::int[] IS NULL OR section_id = ANY($3))
        ORDER BY id`,
      [[...new Set(cycleIds)], filter.states ?? null, filter.sectionIds ?? null],
    );
  }

  /** The entries in one of `states` of any of these sections or of any of these items (whatever their cycle), ascending. */
  async entriesOfSectionsOrItems(
    states: readonly EntryState[] | readonly string[],
    of: { sectionIds: readonly number[]; itemIds: readonly number[] },
    em: EntityManager = this.dataSource.manager,
  ): Promise<EntryRefRow[]> {
    if (!of.sectionIds.length && !of.itemIds.length) return [];
    return em.query(
      `SELECT ${REF_COLUMNS} FROM entries WHERE state = ANY($1::text[]) AND (section_id = ANY($2::int[]) OR item_id = ANY($3::int[])) ORDER BY id`,
      [states, of.sectionIds, of.itemIds],
    );
  }

  /** The approver's per-field comments of the entry's last return (null: none). */
  async returnFieldCommentsOf(id: number, em: EntityManager = this.dataSource.manager): Promise<Record<string, string> | null> {
    const [row]: { comments: Record<string, string> | null }[] = await em.query(`SELECT return_field_comments AS comments FROM entries WHERE id = $1`, [id]);
    return row?.comments ?? null;
  }
}
