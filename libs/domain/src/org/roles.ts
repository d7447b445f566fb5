import { TERMS } from '../glossary/glossary';

/** Roles a user can hold; stored as text in users.roles. */
export const ROLES = ['staff', 'chief', 'evaluator', 'planning', 'admin', 'external_reviewer', 'prefecture'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  staff: '担当職員',
  chief: '課長',
  evaluator: TERMS.evaluator,
  planning: TERMS.planning,
  admin: '管理者',
  // A member of the outside committee (行政評価委員会): reads only the accepted entries of the
  // cycles they are assigned to and writes recommendations (提言); never drafts, comments or history.
  external_reviewer: '外部評価委員',
  // A user of a prefecture's tenant (docs/tenancy.md "Prefecture"): reads what its municipalities
  // published (the comparison, their public sites), never writes anything, anywhere.
  prefecture: '都道府県担当',
};

/** Roles that may only read: every write endpoint refuses a caller holding one (AuthGuard). */
export const READ_ONLY_ROLES: readonly Role[] = ['prefecture'];

/** Whether the caller may only read (a prefecture's user). */
export function isReadOnly(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.some((r) => READ_ONLY_ROLES.includes(r));
}

/** The authenticated caller as every service sees it. */
export interface Actor {
  id: number;
  sectionId: number | null;
  departmentId: number | null;
  roles: Role[];
  name: string;
}

export function hasRole(actor: Pick<Actor, 'roles'>, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** Planning division and admins see every section; everyone else only their own. */
export function canSeeAllSections(actor: Pick<Actor, 'roles'>): boolean {
  return hasRole(actor, 'planning', 'admin');
}

export function canAccessSection(actor: Pick<Actor, 'roles' | 'sectionId'>, sectionId: number): boolean {
  return canSeeAllSections(actor) || actor.sectionId === sectionId;
}
