import type { ApprovalStepKind, FormField, FormLayout, PeriodType, PlanKind } from '@app/domain';

/** An approval step as a template stores it (see libs/cycles). */
export interface SeedApprovalStep {
  kind: ApprovalStepKind;
  label: string;
}

/**
 * A kind of report as the demo ships it: the template's code, period, scale and form.
 * Plain data, created through TemplatesService (which validates it again) and checked by
 * forms.spec.ts, so a typo fails the unit tests rather than the demo.
 */
export interface SeedTemplateDefinition {
  code: string;
  name: string;
  /** The plan whose items the template's cycles report on. */
  planCode: string;
  periodType: PeriodType;
  scaleCode: string;
  layout: FormLayout;
  fields: FormField[];
  /** Absent: the default route (所管課長 → 評価者 → 企画担当). */
  approvalRoute?: SeedApprovalStep[];
}

/** A plan the demo ships and the attributes its items carry (plans.item_fields). */
export interface SeedPlanDefinition {
  code: string;
  name: string;
  kind: PlanKind;
  itemFields: FormField[];
}
