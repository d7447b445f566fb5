// Shapes of the plans and items API (libs/plan-items) as the 計画・項目 screens read them.
import type { FormField } from '../../libs/domain/src/forms/form-field';
import type { KpiDefinition, KpiDirection, KpiKind } from '../../libs/domain/src/forms/kpi';
import type { PlanKind } from '../../libs/domain/src/plans/plan-kind';

export type { FormField, KpiDirection, KpiKind, PlanKind };

export interface PlanDetail {
  id: number;
  code: string;
  name: string;
  kind: PlanKind;
  /** The attributes every item of the plan has (scope 'item'). */
  itemFields: FormField[];
  version: number;
  itemCount: number;
  createdAt: string;
}

/** The domain's KPI definition (targets: fiscal year → number or a milestone's wording) and its place. */
export interface ItemKpi extends KpiDefinition {
  sort: number;
}

export interface ItemSection {
  sectionId: number;
  sectionCode: string;
  sectionName: string;
  content: string | null;
  targetDateText: string | null;
  sort: number;
}

export interface PlanItem {
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
  budgetThousandYen: number | null;
  version: number;
  sections: ItemSection[];
  kpis: ItemKpi[];
  /** Attribute values by key; per-year ones as {"2024": value}. */
  attributes: Record<string, unknown>;
  /** Values kept for attributes the plan no longer defines. */
  retiredAttributes: Record<string, unknown>;
}

export interface ImportResult {
  created: number;
  updated: number;
  /** Rows that matched their item exactly (nothing written). */
  unchanged: number;
  total: number;
  ignoredColumns: string[];
}

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}
