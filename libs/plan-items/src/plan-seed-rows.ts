import type { EntityManager } from 'typeorm';
import type { FormField, KpiDirection, KpiKind, PlanKind } from '@app/domain';

/*
 * Plans' and items' writes for the demo seed (libs/seed), in its transaction: insert-only, a plan
 * matched by code, an item by (plan, number, sub_number); unaudited like the rest of the seed's
 * plans (the seed audits its run as a whole).
 */

/** The plan with this code, inserted when missing (`itemFields` already normalised). */
export async function seedPlan(
  em: EntityManager,
  p: { code: string; name: string; kind: PlanKind; itemFields: FormField[] },
): Promise<{ id: number; created: boolean }> {
  const [row]: { id: number }[] = await em.query(
    `INSERT INTO plans (code, name, kind, item_fields) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`,
    [p.code, p.name, p.kind, JSON.stringify(p.itemFields)],
  );
  const [plan]: { id: number }[] = await em.query(`SELECT id FROM plans WHERE code = $1`, [p.code]);
  return { id: plan.id, created: Boolean(row) };
}

/** The item, inserted unless (plan, number, sub_number) exists: its new id, or null. */
export async function seedItem(
  em: EntityManager,
  planId: number,
  f: {
    number: number;
    subNumber: string;
    chapter: string | null;
    category: string | null;
    title: string;
    content: string | null;
    targetDateText: string | null;
    attributes: Record<string, unknown>;
    evaluatorUserId: number | null;
  },
): Promise<number | null> {
  const [row]: { id: number }[] = await em.query(
    `INSERT INTO plan_items (plan_id, number, sub_number, chapter, category, title, content, target_date_text, attributes, evaluator_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (plan_id, number, sub_number) DO NOTHING RETURNING id`,
    [planId, f.number, f.subNumber, f.chapter, f.category, f.title, f.content, f.targetDateText, JSON.stringify(f.attributes), f.evaluatorUserId],
  );
  return row?.id ?? null;
}

/** One responsible section of a new item, at position `sort`. */
export async function seedItemSection(
  em: EntityManager,
  itemId: number,
  s: { sectionId: number; content: string | null; targetDateText: string | null; sort: number },
): Promise<void> {
  await em.query(`INSERT INTO plan_item_sections (item_id, section_id, content, target_date_text, sort) VALUES ($1, $2, $3, $4, $5)`, [
    itemId,
    s.sectionId,
    s.content,
    s.targetDateText,
    s.sort,
  ]);
}

/** One KPI of a new item, at position `sort`. */
export async function seedItemKpi(
  em: EntityManager,
  itemId: number,
  k: { name: string; unit: string; sort: number; targets: Record<string, number | string>; kind: KpiKind; direction: KpiDirection },
): Promise<void> {
  await em.query(`INSERT INTO plan_item_kpis (item_id, name, unit, sort, targets, kind, direction) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    itemId,
    k.name,
    k.unit,
    k.sort,
    JSON.stringify(k.targets),
    k.kind,
    k.direction,
  ]);
}

/** The id of the plan with this code (null: none). */
export async function planIdByCode(em: EntityManager, code: string): Promise<number | null> {
  const [plan]: { id: number }[] = await em.query(`SELECT id FROM plans WHERE code = $1`, [code]);
  return plan?.id ?? null;
}

/** Every (item, responsible section) of a plan, by item id and the sections' order. */
export async function itemSectionsOfPlan(
  em: EntityManager,
  planId: number,
): Promise<{ itemId: number; number: number; subNumber: string; sectionId: number }[]> {
  return em.query(
    `SELECT i.id AS "itemId", i.number, i.sub_number AS "subNumber", pis.section_id AS "sectionId"
       FROM plan_items i JOIN plan_item_sections pis ON pis.item_id = i.id WHERE i.plan_id = $1 ORDER BY i.id, pis.sort`,
    [planId],
  );
}

/** How many plans, items and KPIs there are (the seed's summary). */
export async function planCounts(em: EntityManager): Promise<{ plans: number; items: number; kpis: number }> {
  const [row]: { plans: number; items: number; kpis: number }[] = await em.query(
    `SELECT (SELECT count(*)::int FROM plans) AS plans, (SELECT count(*)::int FROM plan_items) AS items, (SELECT count(*)::int FROM plan_item_kpis) AS kpis`,
  );
  return row;
}
