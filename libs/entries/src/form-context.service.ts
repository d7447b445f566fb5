import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FormContext, FormField, itemRuleValues, KpiDefinition, normaliseForm } from '@app/domain';
import { itemFormSql } from '@app/plan-items';

/** Where an entry sits, as its form's context needs it. */
export interface FormPlace {
  cycleId: number;
  itemId: number;
  sectionId: number;
  departmentId: number;
  fiscalYear: number;
  previousRating: string | null;
}

/** What an entry's form shows and its rules read beside the entry's own values. */
export interface EntryFormContext extends FormContext {
  kpis: KpiDefinition[];
  fiscalYear: number;
  /** The item's attributes as a rule reads them: a per-year attribute gives the cycle's year. */
  item: Record<string, unknown>;
  /** The item's attributes as stored (per-year ones as {"2024": …}). */
  attributes: Record<string, unknown>;
  /** The plan's item attributes, shown read-only in the form. */
  itemFields: FormField[];
  scopeValues: Record<string, unknown>;
  department: { values: Record<string, unknown>; version: number };
  section: { values: Record<string, unknown>; version: number };
}

/**
 * Reads an entry's form context in one round trip: the item's KPIs and attributes, the plan's
 * attribute definitions, and the department's and section's values for the cycle.
 */
@Injectable()
export class FormContextService {
  async load(em: EntityManager, place: FormPlace): Promise<EntryFormContext> {
    const [row]: {
      kpis: KpiDefinition[] | null;
      attributes: Record<string, unknown> | null;
      item_fields: unknown[] | null;
      department: { values: Record<string, unknown>; version: number } | null;
      section: { values: Record<string, unknown>; version: number } | null;
    }[] = await em.query(
      `SELECT i.attributes, i.item_fields, i.kpis,
              (SELECT json_build_object('values', v."values", 'version', v.version) FROM scope_values v
                WHERE v.cycle_id = $2 AND v.scope = 'department' AND v.scope_id = $3) AS department,
              (SELECT json_build_object('values', v."values", 'version', v.version) FROM scope_values v
                WHERE v.cycle_id = $2 AND v.scope = 'section' AND v.scope_id = $4) AS section
         FROM (${itemFormSql('$1')}) i`,
      [place.itemId, place.cycleId, place.departmentId, place.sectionId],
    );
    const itemFields = normaliseForm(row?.item_fields ?? []);
    const attributes = row?.attributes ?? {};
    const item = itemRuleValues(itemFields, attributes, place.fiscalYear);
    const department = row?.department ?? { values: {}, version: 0 };
    const section = row?.section ?? { values: {}, version: 0 };
    return {
      previousRating: place.previousRating,
      kpis: row?.kpis ?? [],
      fiscalYear: place.fiscalYear,
      item,
      attributes,
      itemFields,
      scopeValues: { ...department.values, ...section.values },
      department,
      section,
    };
  }
}
