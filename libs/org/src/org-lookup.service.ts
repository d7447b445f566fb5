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

/** A section as the approval route reads it: its name, its department and that department's head. */
export interface SectionForRouting {
  id: number;
  name: string;
  departmentId: number;
  departmentHeadUserId: number | null;
}

/** A user as the approval route reads them (`RouteUser` in libs/approvals) with their name. */
export interface UserForRouting {
  id: number;
  sectionId: number | null;
  roles: string[];
  active: boolean;
  name: string;
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

  /** The sections with their department and its head, by id (ids not found are absent). */
  async sectionsForRouting(sectionIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, SectionForRouting>> {
    const ids = [...new Set(sectionIds)];
    if (!ids.length) return new Map();
    const rows: SectionForRouting[] = await em.query(
      `SELECT s.id, s.name, s.department_id AS "departmentId", d.head_user_id AS "departmentHeadUserId"
         FROM sections s JOIN departments d ON d.id = s.department_id WHERE s.id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The sections of the departments each user heads (a department head's evaluator steps). */
  async sectionsHeadedBy(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<{ sectionId: number; headUserId: number }[]> {
    if (!userIds.length) return [];
    return em.query(
      `SELECT s.id AS "sectionId", d.head_user_id AS "headUserId"
         FROM departments d JOIN sections s ON s.department_id = d.id WHERE d.head_user_id = ANY($1::int[])`,
      [[...new Set(userIds)]],
    );
  }

  /** The users by id, as the route reads them, with their names. */
  async usersForRouting(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, UserForRouting>> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return new Map();
    const rows: UserForRouting[] = await em.query(`SELECT id, section_id AS "sectionId", roles, active, name FROM users WHERE id = ANY($1::int[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Each section's active chiefs (ids ascending); sections without one map to []. */
  async activeChiefsOf(sectionIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, number[]>> {
    const ids = [...new Set(sectionIds)];
    const out = new Map(ids.map((id) => [id, [] as number[]]));
    if (!ids.length) return out;
    const rows: { id: number; sectionId: number }[] = await em.query(
      `SELECT id, section_id AS "sectionId" FROM users WHERE active AND 'chief' = ANY(roles) AND section_id = ANY($1::int[]) ORDER BY id`,
      [ids],
    );
    for (const r of rows) out.get(r.sectionId)!.push(r.id);
    return out;
  }

  /**
   * The active users who may hold a step of these entries: the chiefs of `sectionIds`, every
   * planning user, and `userIds` (evaluators, department heads, 合議 parties).
   */
  async activeStepHolders(sectionIds: readonly number[], userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<UserForRouting[]> {
    return em.query(
      `SELECT id, section_id AS "sectionId", roles, active, name FROM users
        WHERE active AND (('chief' = ANY(roles) AND section_id = ANY($1::int[])) OR 'planning' = ANY(roles) OR id = ANY($2::int[]))`,
      [[...new Set(sectionIds)], [...new Set(userIds)]],
    );
  }

  /** Which of these users are active. */
  async activeUserIds(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<number[]> {
    if (!userIds.length) return [];
    const rows: { id: number }[] = await em.query(`SELECT id FROM users WHERE active AND id = ANY($1::int[]) ORDER BY id`, [[...new Set(userIds)]]);
    return rows.map((r) => r.id);
  }

  /**
   * The users with their post as people say it (経営企画部長 for a department head, 経営企画課長 for a
   * chief, else the section's name), for a delegate's banner.
   */
  async usersWithPosts(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<(UserForRouting & { post: string | null })[]> {
    if (!userIds.length) return [];
    return em.query(
      `SELECT u.id, u.section_id AS "sectionId", u.roles, u.active, u.name,
              COALESCE((SELECT h.name || '長' FROM departments h WHERE h.head_user_id = u.id ORDER BY h.id LIMIT 1),
                       CASE WHEN 'chief' = ANY(u.roles) THEN s.name || '長' ELSE s.name END) AS post
         FROM users u LEFT JOIN sections s ON s.id = u.section_id
        WHERE u.id = ANY($1::int[])`,
      [[...new Set(userIds)]],
    );
  }

  /**
   * The users whose delegations `userId` may confirm as their superior: everyone in the
   * departments they head, and, when they are a chief, the non-chiefs of their section.
   */
  async subordinatesOf(userId: number, em: EntityManager = this.dataSource.manager): Promise<number[]> {
    const rows: { id: number }[] = await em.query(
      `SELECT u.id FROM users u JOIN sections s ON s.id = u.section_id JOIN departments dp ON dp.id = s.department_id
        WHERE dp.head_user_id = $1
           OR (NOT ('chief' = ANY(u.roles)) AND s.id = (SELECT section_id FROM users WHERE id = $1 AND 'chief' = ANY(roles)))`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  /** A user's superiors: the other active chiefs of their section and their department's head (null: no such user). */
  async superiorsOf(
    userId: number,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ id: number; isChief: boolean; departmentHeadId: number | null; sectionChiefIds: number[] } | null> {
    const [row] = await em.query(
      `SELECT u.id, 'chief' = ANY(u.roles) AS "isChief", dp.head_user_id AS "departmentHeadId",
              COALESCE((SELECT array_agg(c.id) FROM users c WHERE c.section_id = u.section_id AND c.id <> u.id AND c.active AND 'chief' = ANY(c.roles)), '{}') AS "sectionChiefIds"
         FROM users u LEFT JOIN sections s ON s.id = u.section_id LEFT JOIN departments dp ON dp.id = s.department_id
        WHERE u.id = $1`,
      [userId],
    );
    return row ?? null;
  }
}

/** Whether a member writes for their section's entries (a chief or staff). */
export function writesForSection(member: Pick<Actor, 'roles'>): boolean {
  return hasRole(member, 'chief', 'staff');
}
