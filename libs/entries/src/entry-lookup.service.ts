import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { ENTRY_STATES_AWAITING_APPROVAL, EntryState } from '@app/domain';
import { sqlWords } from '@app/common';
import { Entry } from './entities/entry.entity';

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

/** An entry waiting for approval, with what the route's rules read of it. */
export interface AwaitingEntry {
  id: number;
  cycleId: number;
  sectionId: number;
  itemId: number;
  state: EntryState;
  currentStep: number;
  authorUserId: number | null;
  lastEditedBy: number | null;
}

/**
 * One way into the waiting entries: those at the given (cycle, step) pairs, of the given sections
 * or items (neither: every entry at those steps). Each branch reads one partial index of migration
 * 1732000009200 (by section, by item, by cycle step).
 */
export interface AwaitingBranch {
  at: readonly (readonly [cycleId: number, step: number])[];
  sectionIds?: readonly number[];
  itemIds?: readonly number[];
}

const AWAITING = sqlWords(ENTRY_STATES_AWAITING_APPROVAL);
const AWAITING_COLUMNS = `e.id, e.cycle_id AS "cycleId", e.section_id AS "sectionId", e.item_id AS "itemId", e.state,
  e.current_step AS "currentStep", e.author_user_id AS "authorUserId", e.last_edited_by AS "lastEditedBy"`;

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

  /** The waiting entries any of the branches reaches, each once. */
  async awaitingApproval(branches: readonly AwaitingBranch[], em: EntityManager = this.dataSource.manager): Promise<AwaitingEntry[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const selects = branches
      .filter((b) => b.at.length && (b.sectionIds === undefined || b.sectionIds.length) && (b.itemIds === undefined || b.itemIds.length))
      .map((b) => {
        const at = `(e.cycle_id, e.current_step) IN (SELECT * FROM unnest(${p(b.at.map((x) => x[0]))}::int[], ${p(b.at.map((x) => x[1]))}::int[]))`;
        const own = [
          b.sectionIds ? `e.section_id = ANY(${p([...new Set(b.sectionIds)])}::int[])` : null,
          b.itemIds ? `e.item_id = ANY(${p([...new Set(b.itemIds)])}::int[])` : null,
        ].filter(Boolean);
        return `SELECT ${AWAITING_COLUMNS} FROM entries e WHERE e.state IN (${AWAITING}) AND ${at}${own.map((w) => ` AND ${w}`).join('')}`;
      });
    if (!selects.length) return [];
    return em.query(selects.join('\nUNION\n'), params);
  }

  /** What the approval route reads of each entry, by id, in any state (ids not found are absent). */
  async summariesOf(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, AwaitingEntry>> {
    if (!ids.length) return new Map();
    const rows: AwaitingEntry[] = await em.query(`SELECT ${AWAITING_COLUMNS} FROM entries e WHERE e.id = ANY($1::int[])`, [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Every entry of a cycle: where it sits (item, section). */
  async placesInCycle(cycleId: number, em: EntityManager = this.dataSource.manager): Promise<{ id: number; itemId: number; sectionId: number }[]> {
    return em.query(`SELECT id, item_id AS "itemId", section_id AS "sectionId" FROM entries WHERE cycle_id = $1 ORDER BY id`, [cycleId]);
  }

  /** A cycle's accepted entries with what an outside reviewer reads of them (no comments, no history). */
  async acceptedInCycle(
    cycleId: number,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ itemId: number; sectionId: number; rating: string | null; progress: string | null; reason: string | null; nextSteps: string | null }[]> {
    return em.query(
      `SELECT item_id AS "itemId", section_id AS "sectionId", rating, progress, reason, next_steps AS "nextSteps"
         FROM entries WHERE cycle_id = $1 AND state = 'accepted'`,
      [cycleId],
    );
  }

  /** Whether the item has an accepted entry in the cycle (what an outside reviewer may comment on). */
  async hasAccepted(cycleId: number, itemId: number, em: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await em.query(`SELECT 1 FROM entries WHERE cycle_id = $1 AND item_id = $2 AND state = 'accepted' LIMIT 1`, [cycleId, itemId]);
    return !!row;
  }

  /** The entries by id, in full (ids not found are absent). */
  async byIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, Entry>> {
    if (!ids.length) return new Map();
    const rows = await em
      .getRepository(Entry)
      .createQueryBuilder('e')
      .where('e.id = ANY(:ids)', { ids: [...new Set(ids)] })
      .getMany();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The entry's versions before `version`, newest first (the reviewer's diff reads them). */
  async versionsBefore(
    entryId: number,
    version: number,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ version: number; state: EntryState; data: Record<string, unknown> }[]> {
    return em.query(`SELECT version, state, data FROM entry_versions WHERE entry_id = $1 AND version < $2 ORDER BY version DESC`, [entryId, version]);
  }
}
