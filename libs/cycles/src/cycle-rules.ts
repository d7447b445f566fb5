import type { EntryFieldRule } from '@app/domain';
import type { ApprovalStepDef, CycleTemplate } from './entities/cycle-template.entity';

/**
 * What a cycle keeps of its template from the moment it opens: the rating scale, the entry
 * fields and the approval route. Editing the template later changes the cycles opened after
 * the edit, never an entry already in review or a report of a past cycle.
 */
export interface CycleRules {
  scaleCode: string;
  fields: EntryFieldRule[];
  approvalRoute: ApprovalStepDef[];
}

export function rulesOf(template: CycleTemplate): CycleRules {
  return { scaleCode: template.scaleCode, fields: template.fields, approvalRoute: template.approvalRoute };
}

/** The template as the cycle opened with it; a draft cycle (no rules yet) follows the template. */
export function asOpened(template: CycleTemplate, rules: CycleRules | null | undefined): CycleTemplate {
  return rules ? Object.assign(Object.create(Object.getPrototypeOf(template)), template, rules) : template;
}
