import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hasRole } from '@app/domain';
import type { Actor, Role } from '@app/domain';

/** A user as other libs read them: never the password, never the audit columns. */
export interface OrgUserRow {
  id: number;
  login: string;
  name: string;
  email: string;
  sectionId: number | null;
  roles: Role[];
  active: boolean;
}

/** A section with its department and that department's head. */
export interface OrgSectionRow {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  /** The department's head (departments.head_user_id; null: none). */
  headUserId: number | null;
  /** Whether that head is an active user (false when there is none). */
  headActive: boolean;
}

/** A department and its head (null: none). */
export interface OrgDepartmentRow {
  id: number;
  code: string;
  name: string;
  headUserId: number | null;
}

/** An active member of a section and what they may do there. */
export interface OrgMemberRow {
  id: number;
  roles: Role[];
  email: string;
}

/**
 * Typed reads of the organisation for the libs that do not own it (reminders, personnel, audit):
 * plain rows by id, batched (one query for any number of ids), in the caller's transaction when
 * one is passed. No Nest dependency but the connection, so any module can provide it
 * (OrgLookupModule) without importing the org api's controllers and auth.
 */
@Injectable()
export class OrgLookupService {
  constructor(private readonly dataSource: DataSource) {}

  /** The users with these ids (active or not), by id. */
  async usersByIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, OrgUserRow>> {
    const wanted = [...new Set(ids)].filter((id) => id !== null && id !== undefined);
    if (!wanted.length) return new Map();
    const rows: OrgUserRow[] = await em.query(
      `SELECT id, login, name, email, section_id AS "sectionId", roles, active FROM users WHERE id = ANY($1::int[]) ORDER BY id`,
      [wanted],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Who can be mailed among these users (active, with an address), by id. */
  async mailableUsers(ids: readonly number[], em?: EntityManager): Promise<Map<number, OrgUserRow>> {
    const users = await this.usersByIds(ids, em);
    return new Map([...users].filter(([, u]) => u.active && u.email !== ''));
  }

  /** The ids of the active users holding `role`, with a mail address when `mailable` (ascending). */
  async activeUserIdsWithRole(role: Role, mailable: boolean, em: EntityManager = this.dataSource.manager): Promise<number[]> {
    const rows: { id: number }[] = await em.query(`SELECT id FROM users WHERE active AND $1 = ANY(roles) AND ($2::bool IS FALSE OR email <> '') ORDER BY id`, [
      role,
      mailable,
    ]);
    return rows.map((r) => r.id);
  }

  /** The active members of each of these sections (ascending ids), by section id; a section without any is absent. */
  async activeMembersOfSections(sectionIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, OrgMemberRow[]>> {
    const wanted = [...new Set(sectionIds)];
    if (!wanted.length) return new Map();
    const rows: (OrgMemberRow & { sectionId: number })[] = await em.query(
      `SELECT id, section_id AS "sectionId", roles, email FROM users WHERE active AND section_id = ANY($1::int[]) ORDER BY id`,
      [wanted],
    );
    const bySection = new Map<number, OrgMemberRow[]>();
    for (const { sectionId, ...member } of rows) bySection.set(sectionId, [...(bySection.get(sectionId) ?? []), member]);
    return bySection;
  }

  /** The sections with these ids, each with its department's head, by id. */
  async sectionsWithHeads(sectionIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, OrgSectionRow>> {
    const wanted = [...new Set(sectionIds)];
    if (!wanted.length) return new Map();
    const rows: OrgSectionRow[] = await em.query(
      `SELECT s.id, s.code, s.name, s.department_id AS "departmentId", d.head_user_id AS "headUserId",
              COALESCE(h.active, false) AS "headActive"
         FROM sections s JOIN departments d ON d.id = s.department_id LEFT JOIN users h ON h.id = d.head_user_id
        WHERE s.id = ANY($1::int[])`,
      [wanted],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The departments with these ids, by id. */
  async departmentsByIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, OrgDepartmentRow>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows: OrgDepartmentRow[] = await em.query(`SELECT id, code, name, head_user_id AS "headUserId" FROM departments WHERE id = ANY($1::int[])`, [wanted]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * The section a file names by code or current name (a 機構改革 row): an active one first, then
   * one whose code it is; null when none. Inactive ones are returned so the caller can say so.
   */
  async sectionByCodeOrName(
    text: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ id: number; name: string; active: boolean; departmentId: number } | null> {
    const [s]: { id: number; name: string; active: boolean; departmentId: number }[] = await em.query(
      `SELECT id, name, active, department_id AS "departmentId" FROM sections WHERE code = $1 OR name = $1 ORDER BY active DESC, (code = $1) DESC, id LIMIT 1`,
      [text],
    );
    return s ?? null;
  }

  /** The department a file names by code or name, the code first; null when none. */
  async departmentByCodeOrName(text: string, em: EntityManager = this.dataSource.manager): Promise<{ id: number; name: string } | null> {
    const [d]: { id: number; name: string }[] = await em.query(
      `SELECT id, name FROM departments WHERE code = $1 OR name = $1 ORDER BY (code = $1) DESC LIMIT 1`,
      [text],
    );
    return d ?? null;
  }
}

/** Whether a member writes for their section's entries (a chief or staff). */
export function writesForSection(member: Pick<Actor, 'roles'>): boolean {
  return hasRole(member, 'chief', 'staff');
}
