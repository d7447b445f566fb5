import { DomainError } from '@app/common';
import { Actor, canSeeAllSections, hasRole } from '@app/domain';

/** Where an entry sits in the organisation, as needed for access decisions. */
export interface EntryScope {
  sectionId: number;
  departmentId: number;
  evaluatorUserId: number | null;
}

/**
 * Planning and admin read everything; an evaluator reads the entries of their department
 * and of the items assigned to them; section staff and chiefs read their own section's.
 */
export function canReadEntry(actor: Actor, scope: EntryScope): boolean {
  if (canSeeAllSections(actor)) return true;
  if (actor.sectionId === scope.sectionId) return true;
  return hasRole(actor, 'evaluator') && (scope.evaluatorUserId === actor.id || (actor.departmentId !== null && actor.departmentId === scope.departmentId));
}

/** Only the responsible section's staff and chief write the report. */
export function canWriteEntry(actor: Actor, scope: Pick<EntryScope, 'sectionId'>): boolean {
  return actor.sectionId === scope.sectionId && hasRole(actor, 'staff', 'chief');
}

export function assertCanWriteEntry(actor: Actor, scope: EntryScope): void {
  if (!canWriteEntry(actor, scope)) {
    throw DomainError.forbidden('このエントリーを編集できるのは所管課の職員・課長のみです');
  }
}

export function assertCanReadEntry(actor: Actor, scope: EntryScope): void {
  if (!canReadEntry(actor, scope)) throw DomainError.forbidden('このエントリーを閲覧する権限がありません');
}

/**
 * canReadEntry as parameters of a SQL condition on entries' section, its department and the
 * item's evaluator (readScopeCondition), so lists, the matrix and reports show a reader exactly
 * the entries the entry endpoint would.
 */
export function readScopeParams(actor: Actor): [boolean, number, number, number] {
  const evaluator = hasRole(actor, 'evaluator');
  return [canSeeAllSections(actor), actor.sectionId ?? -1, evaluator ? (actor.departmentId ?? -1) : -1, evaluator ? actor.id : -1];
}

/** `section`, `department` and `evaluator` are the SQL expressions; $n..$n+3 the readScopeParams. */
export function readScopeCondition(n: number, section: string, department: string, evaluator: string): string {
  return `($${n}::bool OR ${section} = $${n + 1} OR ${department} = $${n + 2} OR ${evaluator} = $${n + 3})`;
}

/**
 * canReadEntry as data, for reads of many entries at once: null reads everything; otherwise
 * the reader's own section and, for an evaluator, their department's sections and the items
 * naming them as evaluator. EntryReads turns it into section and item ids.
 */
export type EntryReadScope = { sectionId: number | null; departmentId: number | null; evaluatorUserId: number | null } | null;

export function entryReadScope(actor: Actor): EntryReadScope {
  if (canSeeAllSections(actor)) return null;
  const evaluator = hasRole(actor, 'evaluator');
  return { sectionId: actor.sectionId ?? null, departmentId: evaluator ? (actor.departmentId ?? null) : null, evaluatorUserId: evaluator ? actor.id : null };
}
