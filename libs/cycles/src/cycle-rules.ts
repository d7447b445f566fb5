import { ApprovalOptions, FormField, FormLayout, normaliseForm, readApprovalOptions } from '@app/domain';
import type { ApprovalStepDef, CycleTemplate } from './entities/cycle-template.entity';

/**
 * What a cycle keeps of its template from the moment it opens: the rating scale, the form
 * (fields, their rules and layout) and the approval route. Editing the template later changes
 * the cycles opened after the edit, never an entry already in review or a past report.
 */
export interface CycleRules {
  scaleCode: string;
  fields: FormField[];
  approvalRoute: ApprovalStepDef[];
  /** Absent in cycles opened before the route had options (they read the defaults). */
  approvalOptions?: ApprovalOptions;
  layout?: FormLayout;
  /** The template's version the cycle opened with (absent for cycles opened before forms). */
  templateVersion?: number;
}

export function rulesOf(template: CycleTemplate): CycleRules {
  return {
    scaleCode: template.scaleCode,
    fields: normaliseForm(template.fields),
    approvalRoute: template.approvalRoute,
    approvalOptions: readApprovalOptions(template.approvalOptions),
    layout: template.layout ?? 'list',
    templateVersion: template.version,
  };
}

/** Rules as stored, read in today's shape (cycles opened before forms hold the legacy field list). */
export function readRules(rules: CycleRules): CycleRules {
  return { ...rules, fields: normaliseForm(rules.fields), layout: rules.layout ?? 'list', approvalOptions: readApprovalOptions(rules.approvalOptions) };
}

/** The template as the cycle opened with it; a draft cycle (no rules yet) follows the template. */
export function asOpened(template: CycleTemplate, rules: CycleRules | null | undefined): CycleTemplate {
  const opened = rules ? readRules(rules) : rulesOf(template);
  const { templateVersion: _v, ...own } = opened;
  return Object.assign(Object.create(Object.getPrototypeOf(template)), template, own);
}
