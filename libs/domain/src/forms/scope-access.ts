import { Actor, canSeeAllSections, hasRole } from '../org/roles';

/** A department's or a section's fields for one cycle. */
export const VALUE_SCOPES = ['department', 'section'] as const;
export type ValueScope = (typeof VALUE_SCOPES)[number];

export const VALUE_SCOPE_LABELS: Record<ValueScope, string> = { department: '部', section: '課' };

export interface ScopePlace {
  scope: ValueScope;
  scopeId: number;
  /** The department the scope belongs to (itself for a department). */
  departmentId: number;
}

/**
 * Planning and admin write every scope. A department's fields (基本方針, 総括) are written by
 * its head and the department's chiefs and staff; a section's by its own staff and chief.
 */
export function canWriteScope(actor: Actor, place: ScopePlace): boolean {
  if (canSeeAllSections(actor)) return true;
  if (place.scope === 'section') return actor.sectionId === place.scopeId && hasRole(actor, 'staff', 'chief');
  return actor.departmentId === place.departmentId && hasRole(actor, 'staff', 'chief', 'evaluator');
}

/** Whoever may read an entry of the department reads its department values. */
export function canReadScope(actor: Actor, place: ScopePlace): boolean {
  if (canSeeAllSections(actor) || actor.departmentId === place.departmentId) return true;
  return place.scope === 'section' && actor.sectionId === place.scopeId;
}
