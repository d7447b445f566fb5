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
}
