import { EntityManager } from 'typeorm';
import { FormField, normaliseFieldValue, normaliseForm, type KpiDirection, type KpiKind } from '@app/domain';
import { seedItem, seedItemKpi, seedItemSection, seedPlan } from '@app/plan-items/plan-seed-rows';
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
    const plan = await seedPlan(this.em, { code: def.code, name: def.name, kind: def.kind, itemFields: normaliseForm(def.itemFields ?? []) });
    if (plan.created) this.created.plans++;
    return plan.id;
  }

  /** Inserts the item unless (plan, number, sub_number) exists; returns the new id or null. */
  async item(planId: number, f: SeedItem): Promise<number | null> {
    const id = await seedItem(this.em, planId, { ...f, attributes: f.attributes ?? {}, evaluatorUserId: f.evaluatorUserId ?? null });
    if (id === null) return null;
    this.created.items++;
    return id;
  }

  /** The item's responsible sections in order (each reports its own row). */
  async sections(itemId: number, rows: { sectionId: number; content?: string | null; targetDateText?: string | null }[]): Promise<void> {
    const seen = new Set<number>();
    for (const r of rows) {
      if (seen.has(r.sectionId)) continue;
      await seedItemSection(this.em, itemId, { sectionId: r.sectionId, content: r.content ?? null, targetDateText: r.targetDateText ?? null, sort: seen.size });
      seen.add(r.sectionId);
    }
  }

  async kpis(itemId: number, kpis: SeedKpi[]): Promise<void> {
    for (const [sort, k] of kpis.entries()) {
      await seedItemKpi(this.em, itemId, { ...k, sort });
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
