import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { sqlWords } from '@app/common';
import { ENTRY_STATES_AWAITING_APPROVAL, EntryState } from '@app/domain';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import { ItemReads, ItemSectionPairs } from '@app/plan-items/reads/item-reads.service';
import { Entry } from '../entities/entry.entity';
import type { EntryReadScope } from '../entry-access';

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

/** An entry's own columns, as the read models of other libs take them (plain data). */
export interface EntryReadRow {
  id: number;
  cycleId: number;
  itemId: number;
  sectionId: number;
  state: EntryState;
  currentStep: number;
  rating: string | null;
  previousRating: string | null;
  progress: string | null;
  fiscalGoal: string | null;
  shortTermPlan: string | null;
  reason: string | null;
  nextSteps: string | null;
  kpiActuals: unknown[];
  values: Record<string, unknown>;
  submittedAt: Date | null;
  acceptedAt: Date | null;
  previousEntryId: number | null;
}

/** The reader's scope resolved into ids: an entry is readable when its section or its item is listed. */
export interface EntryReadFilter {
  sectionIds: number[];
  itemIds: number[];
}

/**
 * The order of a cycle's rows, given by the owners of items and sections: items in report order
 * (ids with their numbers), and for `byDepartment` each section's department.
 */
export interface EntryRowOrder {
  items: { id: number; number: number }[];
  byDepartment?: { sectionIds: number[]; departmentIds: number[] };
}

const ROW_COLUMNS = `e.id, e.cycle_id AS "cycleId", e.item_id AS "itemId", e.section_id AS "sectionId", e.state,
  e.current_step AS "currentStep", e.rating, e.previous_rating AS "previousRating", e.progress,
  e.fiscal_goal AS "fiscalGoal", e.short_term_plan AS "shortTermPlan", e.reason, e.next_steps AS "nextSteps",
  e.kpi_actuals AS "kpiActuals", e."values", e.submitted_at AS "submittedAt", e.accepted_at AS "acceptedAt",
  e.previous_entry_id AS "previousEntryId"`;

/** `$n` section ids, `$n+1` item ids; both null: everything. */
function filterSql(n: number): string {
  return `($${n}::int[] IS NULL OR e.section_id = ANY($${n}::int[]) OR e.item_id = ANY($${n + 1}::int[]))`;
}

function filterParams(filter: EntryReadFilter | null): [number[] | null, number[] | null] {
  return filter ? [filter.sectionIds, filter.itemIds] : [null, null];
}

/**
 * Typed reads of `entries` and `scope_values` for other libs (reports, reminders, personnel): they
 * ask here instead of querying the tables. The read models' reader scope is applied here, from the
 * same rule as canReadEntry (entryReadScope); the `refs…` reads locate entries (where they are and
 * how far they went, none of what was written), batched, in the caller's transaction when passed.
 */
@Injectable()
export class EntryReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sections: SectionDirectory,
    private readonly items: ItemReads,
  ) {}

  /** The scope as ids (two small reads, none for a reader of everything). */
  async filterOf(scope: EntryReadScope): Promise<EntryReadFilter | null> {
    if (!scope) return null;
    const sectionIds = scope.departmentId !== null ? await this.sections.idsInDepartment(scope.departmentId) : [];
    if (scope.sectionId !== null && !sectionIds.includes(scope.sectionId)) sectionIds.push(scope.sectionId);
    const itemIds = scope.evaluatorUserId !== null ? (await this.items.evaluatedBy([scope.evaluatorUserId])).map((i) => i.id) : [];
    return { sectionIds, itemIds };
  }

  /** The pure test of a filter on one (item, section). */
  static admits(filter: EntryReadFilter | null, itemId: number, sectionId: number): boolean {
    return !filter || filter.sectionIds.includes(sectionId) || filter.itemIds.includes(itemId);
  }

  /**
   * Declares a NO SCROLL cursor `name` over a cycle's entries in the given order, on `em` (a
   * query runner's manager inside the caller's transaction); FETCH it with fetchRows.
   */
  async declareCycleCursor(
    em: EntityManager,
    name: string,
    cycleId: number,
    opts: { acceptedOnly: boolean; filter: EntryReadFilter | null; order: EntryRowOrder },
  ): Promise<void> {
    const dept = opts.order.byDepartment;
    const order = dept ? 'MIN(o.number) OVER (PARTITION BY sd.department_id), sd.department_id, o.ord, e.section_id' : 'o.ord, e.section_id';
    await em.query(
      `DECLARE ${name} NO SCROLL CURSOR FOR
       SELECT ${ROW_COLUMNS}
         FROM entries e
         JOIN unnest($3::int[], $4::int[]) WITH ORDINALITY o(item_id, number, ord) ON o.item_id = e.item_id
         ${dept ? 'JOIN unnest($7::int[], $8::int[]) sd(section_id, department_id) ON sd.section_id = e.section_id' : ''}
        WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted') AND ${filterSql(5)}
        ORDER BY ${order}`,
      [
        cycleId,
        opts.acceptedOnly,
        opts.order.items.map((i) => i.id),
        opts.order.items.map((i) => i.number),
        ...filterParams(opts.filter),
        ...(dept ? [dept.sectionIds, dept.departmentIds] : []),
      ],
    );
  }

  fetchRows(em: EntityManager, name: string, count: number): Promise<EntryReadRow[]> {
    return em.query(`FETCH FORWARD ${Math.max(1, Math.floor(count))} FROM ${name}`);
  }

  /** The distinct (item, section) pairs of a cycle's entries, every state. */
  async pairsOf(cycleId: number): Promise<ItemSectionPairs> {
    const [row]: { itemIds: number[] | null; sectionIds: number[] | null }[] = await this.dataSource.query(
      `SELECT array_agg(item_id) AS "itemIds", array_agg(section_id) AS "sectionIds"
         FROM (SELECT DISTINCT item_id, section_id FROM entries WHERE cycle_id = $1) p`,
      [cycleId],
    );
    return { itemIds: row?.itemIds ?? [], sectionIds: row?.sectionIds ?? [] };
  }

  /** The distinct sections of a cycle's entries. */
  async sectionIdsOf(cycleId: number): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(`SELECT DISTINCT section_id AS id FROM entries WHERE cycle_id = $1`, [cycleId]);
    return rows.map((r) => r.id);
  }

  /** Where these entries sit (cycle, item, section), by id. */
  async placesOf(
    ids: readonly number[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, { cycleId: number; itemId: number; sectionId: number }>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: { id: number; cycleId: number; itemId: number; sectionId: number }[] = await em.query(
      `SELECT id, cycle_id AS "cycleId", item_id AS "itemId", section_id AS "sectionId" FROM entries WHERE id = ANY($1::int[])`,
      [unique],
    );
    return new Map(rows.map(({ id, ...r }) => [id, r]));
  }

  /** The distinct (cycle, item) places of the previous entries of a cycle's entries (the 提言 of last time). */
  previousPlacesOf(cycleId: number): Promise<{ cycleId: number; itemId: number }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT pe.cycle_id AS "cycleId", pe.item_id AS "itemId"
         FROM entries e JOIN entries pe ON pe.id = e.previous_entry_id WHERE e.cycle_id = $1`,
      [cycleId],
    );
  }

  /** Every entry of a cycle: id, item and section. */
  placesInCycle(cycleId: number, em: EntityManager = this.dataSource.manager): Promise<{ id: number; itemId: number; sectionId: number }[]> {
    return em.query(`SELECT id, item_id AS "itemId", section_id AS "sectionId" FROM entries WHERE cycle_id = $1 ORDER BY id`, [cycleId]);
  }

  /** The ids of a cycle's entries and of its department and section values (the subjects of its audit rows). */
  async subjectIdsOf(cycleId: number): Promise<{ entryIds: number[]; scopeValueIds: number[] }> {
    const [row]: { entryIds: number[] | null; scopeValueIds: number[] | null }[] = await this.dataSource.query(
      `SELECT (SELECT array_agg(id ORDER BY id) FROM entries WHERE cycle_id = $1) AS "entryIds",
              (SELECT array_agg(id ORDER BY id) FROM scope_values WHERE cycle_id = $1) AS "scopeValueIds"`,
      [cycleId],
    );
    return { entryIds: row?.entryIds ?? [], scopeValueIds: row?.scopeValueIds ?? [] };
  }

  /**
   * The accepted ratings of these (item, section) pairs in these cycles: the per-year table of
   * a sheet reads them for the template's earlier cycles.
   */
  acceptedRatingsIn(
    cycleIds: readonly number[],
    pairs: ItemSectionPairs,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ cycleId: number; itemId: number; sectionId: number; rating: string | null }[]> {
    if (!cycleIds.length || !pairs.itemIds.length) return Promise.resolve([]);
    return em.query(
      `SELECT e.cycle_id AS "cycleId", e.item_id AS "itemId", e.section_id AS "sectionId", e.rating
         FROM unnest($2::int[], $3::int[]) p(item_id, section_id)
         JOIN entries e ON e.item_id = p.item_id AND e.section_id = p.section_id
        WHERE e.cycle_id = ANY($1::int[]) AND e.state = 'accepted'`,
      [[...new Set(cycleIds)], pairs.itemIds, pairs.sectionIds],
    );
  }

  /**
   * Entry counts of a cycle by rating and by the keys other owners give its items and sections
   * (the summary: a chapter per item, a department per section), within the filter, ordered by
   * the group's first item number, then section key. Items or sections without a key are left out.
   */
  ratingGroups(
    cycleId: number,
    acceptedOnly: boolean,
    filter: EntryReadFilter | null,
    keys: { items: { ids: number[]; keys: number[]; numbers: number[] }; sections: { ids: number[]; keys: number[] } },
  ): Promise<{ rating: string | null; itemKey: number; sectionKey: number; count: number }[]> {
    return this.dataSource.query(
      `SELECT e.rating, i.key AS "itemKey", s.key AS "sectionKey", count(*)::int AS count
         FROM entries e
         JOIN unnest($5::int[], $6::int[], $7::int[]) i(id, key, number) ON i.id = e.item_id
         JOIN unnest($8::int[], $9::int[]) s(id, key) ON s.id = e.section_id
        WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted') AND ${filterSql(3)}
        GROUP BY e.rating, i.key, s.key
        ORDER BY min(i.number), s.key`,
      [cycleId, acceptedOnly, ...filterParams(filter), keys.items.ids, keys.items.keys, keys.items.numbers, keys.sections.ids, keys.sections.keys],
    );
  }

  /** Entry counts of a cycle by section and state, within the filter (提出状況). */
  stateCounts(cycleId: number, filter: EntryReadFilter | null): Promise<{ sectionId: number; state: EntryState; n: number }[]> {
    return this.dataSource.query(
      `SELECT e.section_id AS "sectionId", e.state, count(*)::int AS n
         FROM entries e WHERE e.cycle_id = $1 AND ${filterSql(2)}
        GROUP BY e.section_id, e.state`,
      [cycleId, ...filterParams(filter)],
    );
  }

  /** A cycle's entries in these states, within the filter. */
  inStates(
    cycleId: number,
    states: readonly EntryState[],
    filter: EntryReadFilter | null,
  ): Promise<Pick<EntryReadRow, 'id' | 'itemId' | 'sectionId' | 'state' | 'currentStep'>[]> {
    return this.dataSource.query(
      `SELECT e.id, e.item_id AS "itemId", e.section_id AS "sectionId", e.state, e.current_step AS "currentStep"
         FROM entries e WHERE e.cycle_id = $1 AND e.state = ANY($2) AND ${filterSql(3)}`,
      [cycleId, states, ...filterParams(filter)],
    );
  }

  /** Item, section, cycle, rating and state of every entry of these cycles, within the filter (年度別). */
  cellsOf(
    cycleIds: readonly number[],
    filter: EntryReadFilter | null,
  ): Promise<{ itemId: number; sectionId: number; cycleId: number; rating: string | null; state: EntryState }[]> {
    if (!cycleIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT e.item_id AS "itemId", e.section_id AS "sectionId", e.cycle_id AS "cycleId", e.rating, e.state
         FROM entries e WHERE e.cycle_id = ANY($1::int[]) AND ${filterSql(2)}`,
      [[...cycleIds], ...filterParams(filter)],
    );
  }

  /**
   * The form's keys that hold a value in some entry of the cycle (accepted ones only when
   * asked) or in some department or section value of the cycle: the printed list gives an
   * empty field a narrow column.
   */
  async filledKeys(cycleId: number, acceptedOnly: boolean): Promise<Set<string>> {
    const [row]: { keys: string[] | null }[] = await this.dataSource.query(FILLED_KEYS_SQL, [cycleId, acceptedOnly]);
    return new Set(row?.keys ?? []);
  }

  /** The entries with these ids, ascending. */
  async refsByIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<EntryRefRow[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    return em.query(`SELECT ${REF_COLUMNS} FROM entries WHERE id = ANY($1::int[]) ORDER BY id`, [wanted]);
  }

  /** The entries of these cycles (in one of `states`, when given; of these sections, when given), ascending. */
  async refsOfCycles(
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
  async refsOfSectionsOrItems(
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

  /** Every entry of a cycle: id, item, and the cycle of its previous entry (null without one). */
  itemsAndPreviousCyclesIn(cycleId: number): Promise<{ id: number; itemId: number; previousCycleId: number | null }[]> {
    return this.dataSource.query(
      `SELECT e.id, e.item_id AS "itemId", pe.cycle_id AS "previousCycleId"
         FROM entries e LEFT JOIN entries pe ON pe.id = e.previous_entry_id WHERE e.cycle_id = $1`,
      [cycleId],
    );
  }
}

const FILLED_KEYS_SQL = `
  SELECT array_remove(ARRAY[
           CASE WHEN bool_or(e.rating IS NOT NULL) THEN 'rating' END,
           CASE WHEN bool_or(COALESCE(e.progress, '') <> '') THEN 'progress' END,
           CASE WHEN bool_or(COALESCE(e.fiscal_goal, '') <> '') THEN 'fiscalGoal' END,
           CASE WHEN bool_or(COALESCE(e.short_term_plan, '') <> '') THEN 'shortTermPlan' END,
           CASE WHEN bool_or(jsonb_array_length(e.kpi_actuals) > 0) THEN 'kpiActuals' END,
           CASE WHEN bool_or(COALESCE(e.reason, '') <> '') THEN 'reason' END,
           CASE WHEN bool_or(COALESCE(e.next_steps, '') <> '') THEN 'nextSteps' END
         ], NULL)
         || COALESCE((SELECT array_agg(DISTINCT v.key) FROM entries x, jsonb_each(x."values") v
                       WHERE x.cycle_id = $1 AND (NOT $2::bool OR x.state = 'accepted') AND v.value <> 'null'::jsonb), '{}')
         || COALESCE((SELECT array_agg(DISTINCT v.key) FROM scope_values s, jsonb_each(s."values") v
                       WHERE s.cycle_id = $1 AND v.value <> 'null'::jsonb), '{}') AS keys
    FROM entries e
   WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted')`;
