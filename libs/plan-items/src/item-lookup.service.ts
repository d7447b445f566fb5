import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** An item as a mail or a list names it. */
export interface ItemLabelRow {
  id: number;
  number: number;
  subNumber: string;
  title: string;
  /** The item's own evaluator (null: the department head evaluates it). */
  evaluatorUserId: number | null;
}

/** `No.3-2`: how mails and notices name an item. */
export function itemNumberLabel(item: { number: number; subNumber: string | null }): string {
  return `No.${item.number}${item.subNumber ? `-${item.subNumber}` : ''}`;
}

/** Orders rows by item number and sub-number (as the database's C collation does). */
export function byItemNumber(a: { number: number; subNumber: string | null }, b: { number: number; subNumber: string | null }): number {
  if (a.number !== b.number) return a.number - b.number;
  const x = a.subNumber ?? '';
  const y = b.subNumber ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

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
 * Typed reads of plan items for the libs that do not own them (reminders, personnel): batched by
 * ids, in the caller's transaction when one is passed.
 */
@Injectable()
export class ItemLookupService {
  constructor(private readonly dataSource: DataSource) {}

  /** The items with these ids, by id. */
  async itemLabels(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, ItemLabelRow>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows: ItemLabelRow[] = await em.query(
      `SELECT id, number, sub_number AS "subNumber", title, evaluator_user_id AS "evaluatorUserId" FROM plan_items WHERE id = ANY($1::int[])`,
      [wanted],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The items whose own evaluator is one of these users (a 人事異動 hands them over), ascending. */
  async itemsEvaluatedBy(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<{ id: number; evaluatorUserId: number }[]> {
    if (!userIds.length) return [];
    return em.query(`SELECT id, evaluator_user_id AS "evaluatorUserId" FROM plan_items WHERE evaluator_user_id = ANY($1::int[]) ORDER BY id`, [[...userIds]]);
  }

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
