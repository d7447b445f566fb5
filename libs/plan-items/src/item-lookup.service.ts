import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A plan item as the approval route and the inbox read it. */
export interface ItemForRouting {
  id: number;
  number: number;
  subNumber: string;
  title: string;
  /** The named evaluator (null: the department head evaluates). */
  evaluatorUserId: number | null;
}

/**
 * Typed reads of plan items for other libs (approvals, entries), batched by id so a caller joins
 * them in memory instead of joining plan_items in its own SQL. No controllers, no writes.
 */
@Injectable()
export class ItemLookupService {
  constructor(private readonly dataSource: DataSource) {}

  /** The items by id (ids not found are absent). */
  async itemsForRouting(itemIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, ItemForRouting>> {
    const ids = [...new Set(itemIds)];
    if (!ids.length) return new Map();
    const rows: ItemForRouting[] = await em.query(
      `SELECT id, number, sub_number AS "subNumber", title, evaluator_user_id AS "evaluatorUserId" FROM plan_items WHERE id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The items each of these users is the named evaluator of (plan_items_evaluator_idx). */
  async itemIdsEvaluatedBy(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<number[]> {
    if (!userIds.length) return [];
    const rows: { id: number }[] = await em.query(`SELECT id FROM plan_items WHERE evaluator_user_id = ANY($1::int[])`, [[...new Set(userIds)]]);
    return rows.map((r) => r.id);
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
