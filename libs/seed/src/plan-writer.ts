import { EntityManager } from 'typeorm';
import { FormField, normaliseFieldValue, normaliseForm, type KpiDirection, type KpiKind } from '@app/domain';
import type { SeedPlanDefinition } from './forms';
import type { SeedCreated } from './seed-organisation';

export interface SeedItem {
  number: number;
  subNumber: string;
  chapter: string | null;
  category: string | null;
  title: string;
  content: string | null;
  targetDateText: string | null;
  attributes?: Record<string, unknown>;
  evaluatorUserId?: number | null;
}

export interface SeedKpi {
  name: string;
  unit: string;
  kind: KpiKind;
  direction: KpiDirection;
  targets: Record<string, number | string>;
}

/** Circled sub-numbers as the reports print them: 1 -> '①'. */
export const circled = (n: number): string => String.fromCodePoint(0x2460 + n - 1);

/**
 * Writes plans and their items for the seed, insert-only: a plan is matched by code, an item
 * by (plan, number, sub_number); an item's sections and KPIs are written only with the item,
 * so a second run (or a run on a database edited since) adds nothing.
 */
export class PlanWriter {
  constructor(
    private readonly em: EntityManager,
    private readonly created: SeedCreated,
  ) {}

  async plan(def: Pick<SeedPlanDefinition, 'code' | 'name' | 'kind'> & { itemFields?: FormField[] }): Promise<number> {
    const [row] = await this.em.query(
      `INSERT INTO plans (code, name, kind, item_fields) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`,
      [def.code, def.name, def.kind, JSON.stringify(normaliseForm(def.itemFields ?? []))],
    );
    if (row) this.created.plans++;
    const [plan] = await this.em.query(`SELECT id FROM plans WHERE code = $1`, [def.code]);
    return plan.id;
  }

  /** Inserts the item unless (plan, number, sub_number) exists; returns the new id or null. */
  async item(planId: number, f: SeedItem): Promise<number | null> {
    const [row] = await this.em.query(
      `INSERT INTO plan_items (plan_id, number, sub_number, chapter, category, title, content, target_date_text, attributes, evaluator_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (plan_id, number, sub_number) DO NOTHING RETURNING id`,
      [
        planId,
        f.number,
        f.subNumber,
        f.chapter,
        f.category,
        f.title,
        f.content,
        f.targetDateText,
        JSON.stringify(f.attributes ?? {}),
        f.evaluatorUserId ?? null,
      ],
    );
    if (!row) return null;
    this.created.items++;
    return row.id;
  }

  /** The item's responsible sections in order (each reports its own row). */
  async sections(itemId: number, rows: { sectionId: number; content?: string | null; targetDateText?: string | null }[]): Promise<void> {
    const seen = new Set<number>();
    for (const r of rows) {
      if (seen.has(r.sectionId)) continue;
      await this.em.query(`INSERT INTO plan_item_sections (item_id, section_id, content, target_date_text, sort) VALUES ($1, $2, $3, $4, $5)`, [
        itemId,
        r.sectionId,
        r.content ?? null,
        r.targetDateText ?? null,
        seen.size,
      ]);
      seen.add(r.sectionId);
    }
  }

  async kpis(itemId: number, kpis: SeedKpi[]): Promise<void> {
    for (const [sort, k] of kpis.entries()) {
      await this.em.query(`INSERT INTO plan_item_kpis (item_id, name, unit, sort, targets, kind, direction) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        itemId,
        k.name,
        k.unit,
        sort,
        JSON.stringify(k.targets),
        k.kind,
        k.direction,
      ]);
      this.created.kpis++;
    }
  }
}

/**
 * An item's attributes checked against the plan's item fields as the form engine checks a
 * value (typed numbers, choices, decimals); per-year ones as {"2024": …}. Throws naming the
 * field, so a mistake in the demo data stops the seed instead of reaching the screen.
 */
export function checkedAttributes(fields: FormField[], attributes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(attributes)) {
    if (!fields.some((f) => f.key === key)) throw new Error(`seed: 項目の属性「${key}」は計画の項目定義にありません`);
  }
  const check = (f: FormField, raw: unknown) => {
    const result = normaliseFieldValue(f, raw);
    if ('message' in result) throw new Error(`seed: ${result.message}`);
    return result.value;
  };
  for (const f of normaliseForm(fields)) {
    const raw = attributes[f.key];
    if (raw === undefined || raw === null) continue;
    if (f.perYear) {
      if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`seed: ${f.label}(${f.key})は年度ごとの値で指定してください`);
      const years = Object.entries(raw as Record<string, unknown>);
      const bad = years.find(([year]) => !/^\d{4}$/u.test(year));
      if (bad) throw new Error(`seed: ${f.label}(${f.key})の年度「${bad[0]}」は西暦4桁で指定してください`);
      out[f.key] = Object.fromEntries(years.map(([year, v]) => [year, check(f, v)]));
    } else out[f.key] = check(f, raw);
  }
  return out;
}
