import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { KpiDefinition } from '@app/domain';

/** An item as the read models print it (its own columns; a section's own texts come apart). */
export interface ItemReadRow {
  id: number;
  planId: number;
  number: number;
  subNumber: string;
  chapter: string | null;
  category: string | null;
  title: string;
  content: string | null;
  targetDateText: string | null;
  evaluatorUserId: number | null;
  attributes: Record<string, unknown>;
}

/** An item as a mail or a list names it. */
export type ItemLabelRow = Pick<ItemReadRow, 'id' | 'number' | 'subNumber' | 'title' | 'evaluatorUserId'>;

/** An item's identity as lists print it. */
export type ItemHeadRow = Pick<ItemReadRow, 'id' | 'number' | 'subNumber' | 'chapter' | 'title'>;

/** A responsible section's own content and target date for an item (null: the item's). */
export interface ItemSectionTexts {
  itemId: number;
  sectionId: number;
  content: string | null;
  targetDateText: string | null;
}

/** (item, section) pairs as two parallel id arrays: a batch of pairs in one parameter each. */
export interface ItemSectionPairs {
  itemIds: number[];
  sectionIds: number[];
}

/** Which optional item columns some pair fills, and the most KPIs an item of them has. */
export interface ItemPresenceRow {
  chapter: boolean;
  category: boolean;
  content: boolean;
  targetDate: boolean;
  kpiSlots: number;
}

export const pairKey = (itemId: number, sectionId: number) => `${itemId}:${sectionId}`;

/**
 * Typed reads of `plan_items`, `plan_item_sections` and `plan_item_kpis` for other libs (which
 * never query these tables). Batched by ids: callers read ids from their own tables first; in the
 * caller's transaction where `em` is taken.
 */
@Injectable()
export class ItemReads {
  constructor(private readonly dataSource: DataSource) {}

  /** The plan's items' ids in report order (number, sub-number) with their numbers. */
  orderOfPlan(planId: number): Promise<{ id: number; number: number }[]> {
    return this.dataSource.query(`SELECT id, number FROM plan_items WHERE plan_id = $1 ORDER BY number, sub_number`, [planId]);
  }

  /** Every item of the plan: id, number and chapter (what a tally groups by). */
  chaptersOfPlan(planId: number): Promise<{ id: number; number: number; chapter: string | null }[]> {
    return this.dataSource.query(`SELECT id, number, chapter FROM plan_items WHERE plan_id = $1`, [planId]);
  }

  /** The items with these ids, in report order (number, sub-number). */
  async rows(ids: readonly number[]): Promise<ItemReadRow[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    return this.dataSource.query(
      `SELECT id, plan_id AS "planId", number, sub_number AS "subNumber", chapter, category, title, content,
              target_date_text AS "targetDateText", evaluator_user_id AS "evaluatorUserId", attributes
         FROM plan_items WHERE id = ANY($1::int[]) ORDER BY number, sub_number`,
      [unique],
    );
  }

  /** The number, chapter and title of these items (no texts), in report order (number, sub-number). */
  async headsOf(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<ItemHeadRow[]> {
    const unique = [...new Set(ids)];
    if (!unique.length) return [];
    return em.query(`SELECT id, number, sub_number AS "subNumber", chapter, title FROM plan_items WHERE id = ANY($1::int[]) ORDER BY number, sub_number`, [
      unique,
    ]);
  }

  /** The (item, section) pairs of a plan's items and their responsible sections. */
  async sectionPairsOfPlan(planId: number, em: EntityManager = this.dataSource.manager): Promise<{ itemId: number; sectionId: number }[]> {
    return em.query(
      `SELECT pis.item_id AS "itemId", pis.section_id AS "sectionId" FROM plan_item_sections pis JOIN plan_items i ON i.id = pis.item_id WHERE i.plan_id = $1`,
      [planId],
    );
  }

  /** Every responsible section's own texts of these items, keyed by pairKey. */
  async sectionTexts(itemIds: readonly number[]): Promise<Map<string, ItemSectionTexts>> {
    const unique = [...new Set(itemIds)];
    if (!unique.length) return new Map();
    const rows: ItemSectionTexts[] = await this.dataSource.query(
      `SELECT item_id AS "itemId", section_id AS "sectionId", content, target_date_text AS "targetDateText"
         FROM plan_item_sections WHERE item_id = ANY($1::int[])`,
      [unique],
    );
    return new Map(rows.map((r) => [pairKey(r.itemId, r.sectionId), r]));
  }

  /** Each item's KPIs in their order (items without any are absent). */
  async kpisOf(itemIds: readonly number[]): Promise<Map<number, KpiDefinition[]>> {
    const unique = [...new Set(itemIds)];
    if (!unique.length) return new Map();
    const rows: (KpiDefinition & { itemId: number })[] = await this.dataSource.query(
      `SELECT item_id AS "itemId", id, name, unit, kind, direction, targets FROM plan_item_kpis
        WHERE item_id = ANY($1::int[]) ORDER BY item_id, sort, id`,
      [unique],
    );
    const map = new Map<number, KpiDefinition[]>();
    for (const { itemId, ...k } of rows) map.set(itemId, [...(map.get(itemId) ?? []), k]);
    return map;
  }

  /** The items with these ids, by id: what a mail names them by (reminders, notices). */
  async labels(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, ItemLabelRow>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: ItemLabelRow[] = await em.query(
      `SELECT id, number, sub_number AS "subNumber", title, evaluator_user_id AS "evaluatorUserId" FROM plan_items WHERE id = ANY($1::int[])`,
      [unique],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The items whose named evaluator is one of these users (a 人事異動 hands them over; a report scope), ascending. */
  async evaluatedBy(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<{ id: number; evaluatorUserId: number }[]> {
    if (!userIds.length) return [];
    return em.query(`SELECT id, evaluator_user_id AS "evaluatorUserId" FROM plan_items WHERE evaluator_user_id = ANY($1::int[]) ORDER BY id`, [[...userIds]]);
  }

  /** Over these (item, section) pairs: which optional item columns hold text, and the largest KPI table. */
  async presenceOf(pairs: ItemSectionPairs): Promise<ItemPresenceRow> {
    const [row]: ItemPresenceRow[] = await this.dataSource.query(
      `SELECT COALESCE(bool_or(COALESCE(i.chapter, '') <> ''), false) AS chapter,
              COALESCE(bool_or(COALESCE(i.category, '') <> ''), false) AS category,
              COALESCE(bool_or(COALESCE(pis.content, i.content, '') <> ''), false) AS content,
              COALESCE(bool_or(COALESCE(pis.target_date_text, i.target_date_text, '') <> ''), false) AS "targetDate",
              COALESCE(max((SELECT count(*) FROM plan_item_kpis k WHERE k.item_id = p.item_id)), 0)::int AS "kpiSlots"
         FROM unnest($1::int[], $2::int[]) p(item_id, section_id)
         JOIN plan_items i ON i.id = p.item_id
         LEFT JOIN plan_item_sections pis ON pis.item_id = p.item_id AND pis.section_id = p.section_id`,
      [pairs.itemIds, pairs.sectionIds],
    );
    return row;
  }

  /** The items these sections are responsible for (所管課), as (item, section) pairs. */
  async itemsOfSections(sectionIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<{ itemId: number; sectionId: number }[]> {
    if (!sectionIds.length) return [];
    return em.query(`SELECT item_id AS "itemId", section_id AS "sectionId" FROM plan_item_sections WHERE section_id = ANY($1::int[])`, [
      [...new Set(sectionIds)],
    ]);
  }

  /** The responsible sections (所管課) of these items, in each item's order (`sort`). */
  async sectionsOfItems(
    itemIds: readonly number[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ itemId: number; sectionId: number; sort: number }[]> {
    if (!itemIds.length) return [];
    return em.query(
      `SELECT item_id AS "itemId", section_id AS "sectionId", sort FROM plan_item_sections WHERE item_id = ANY($1::int[]) ORDER BY item_id, sort`,
      [[...new Set(itemIds)]],
    );
  }
}

/** Typed reads of `plans` for other libs. */
@Injectable()
export class PlanReads {
  constructor(private readonly dataSource: DataSource) {}

  /** The plan's id, code, name and item attribute definitions (as stored), or null. */
  async row(planId: number, em: EntityManager = this.dataSource.manager): Promise<{ id: number; code: string; name: string; itemFields: unknown[] } | null> {
    const [row] = await em.query(`SELECT id, code, name, item_fields AS "itemFields" FROM plans WHERE id = $1`, [planId]);
    return row ?? null;
  }
}

/**
 * The SELECT of the item whose id is the SQL expression `itemIdSql` (a column of the caller's
 * query), answering its `number`, `sub_number`, `title`, `chapter` and `evaluator_user_id`: for a
 * caller that must read them in its own statement (EntriesService.lock on the approve and save
 * paths, the entry lists and the matrix, which filter and sort by them), as
 * `JOIN LATERAL (${itemRowSql('e.item_id')}) i ON true`.
 */
export function itemRowSql(itemIdSql: string): string {
  return `SELECT pi.number, pi.sub_number, pi.title, pi.chapter, pi.evaluator_user_id FROM plan_items pi WHERE pi.id = ${itemIdSql}`;
}

/**
 * The SELECT of the items of the plan whose id is the SQL expression `planIdSql`, one row per
 * item and section it is shared with: `item_id`, `number`, `sub_number`, `title`,
 * `evaluator_user_id`, `section_id` and the section's `sort` on the item (for a caller that
 * filters them by its read scope in its own statement: the items × periods matrix).
 */
export function planItemSectionsSql(planIdSql: string): string {
  return `SELECT pi.id AS item_id, pi.number, pi.sub_number, pi.title, pi.evaluator_user_id, pis.section_id, pis.sort
            FROM plan_items pi JOIN plan_item_sections pis ON pis.item_id = pi.id WHERE pi.plan_id = ${planIdSql}`;
}

/**
 * The SELECT of what the entry form needs of the item whose id is the SQL expression `itemIdSql`:
 * its `attributes`, its plan's `item_fields` and its `kpis` (json, in their order; null if none).
 * For the save path, which reads them with the scope values in one statement (FormContextService),
 * as `FROM (${itemFormSql('$1')}) i`.
 */
export function itemFormSql(itemIdSql: string): string {
  return `SELECT pi.attributes, p.item_fields,
                 (SELECT json_agg(json_build_object('id', k.id, 'name', k.name, 'unit', k.unit, 'kind', k.kind,
                                                    'direction', k.direction, 'targets', k.targets) ORDER BY k.sort, k.id)
                    FROM plan_item_kpis k WHERE k.item_id = pi.id) AS kpis
            FROM plan_items pi JOIN plans p ON p.id = pi.plan_id WHERE pi.id = ${itemIdSql}`;
}
