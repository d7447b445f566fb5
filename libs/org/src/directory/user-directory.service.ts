import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hasRole } from '@app/domain';
import type { Actor, Role } from '@app/domain';

/** A user as other libs read them: never the password, never the audit columns. */
export interface UserRow {
  id: number;
  login: string;
  name: string;
  email: string;
  sectionId: number | null;
  roles: Role[];
  active: boolean;
}

/** An active member of a section and what they may do there. */
export interface SectionMemberRow {
  id: number;
  roles: Role[];
  email: string;
}

/** A user as the approval route reads them (`RouteUser` in libs/approvals) with their name. */
export interface UserForRouting {
  id: number;
  sectionId: number | null;
  roles: string[];
  active: boolean;
  name: string;
}

/** Whether a member writes for their section's entries (a chief or staff). */
export function writesForSection(member: Pick<Actor, 'roles'>): boolean {
  return hasRole(member, 'chief', 'staff');
}

/**
 * Typed reads of `users` for other libs (which never query it): batched by ids, in the caller's
 * transaction when one is passed.
 */
@Injectable()
export class UserDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** The users with these ids, active or not (a report names whoever acted), by id in ascending order. */
  async rows(ids: readonly (number | null | undefined)[], em: EntityManager = this.dataSource.manager): Promise<Map<number, UserRow>> {
    const unique = [...new Set(ids.filter((id): id is number => typeof id === 'number'))];
    if (!unique.length) return new Map();
    const rows: UserRow[] = await em.query(
      `SELECT id, login, name, email, section_id AS "sectionId", roles, active FROM users WHERE id = ANY($1::int[]) ORDER BY id`,
      [unique],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Who can be mailed among these users (active, with an address), by id. */
  async mailable(ids: readonly number[], em?: EntityManager): Promise<Map<number, UserRow>> {
    const users = await this.rows(ids, em);
    return new Map([...users].filter(([, u]) => u.active && u.email !== ''));
  }

  /** Which of these users are active (ascending). */
  async activeIds(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<number[]> {
    if (!userIds.length) return [];
    const rows: { id: number }[] = await em.query(`SELECT id FROM users WHERE active AND id = ANY($1::int[]) ORDER BY id`, [[...new Set(userIds)]]);
    return rows.map((r) => r.id);
  }

  /** The ids of the active users holding `role`, with a mail address when `mailable` (ascending). */
  async activeIdsWithRole(role: Role, mailable: boolean, em: EntityManager = this.dataSource.manager): Promise<number[]> {
    const rows: { id: number }[] = await em.query(`SELECT id FROM users WHERE active AND $1 = ANY(roles) AND ($2::bool IS FALSE OR email <> '') ORDER BY id`, [
      role,
      mailable,
    ]);
    return rows.map((r) => r.id);
  }

  /** The active members of each of these sections (ascending ids), by section id; a section without any is absent. */
  async activeMembersOf(sectionIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, SectionMemberRow[]>> {
    const wanted = [...new Set(sectionIds)];
    if (!wanted.length) return new Map();
    const rows: (SectionMemberRow & { sectionId: number })[] = await em.query(
      `SELECT id, section_id AS "sectionId", roles, email FROM users WHERE active AND section_id = ANY($1::int[]) ORDER BY id`,
      [wanted],
    );
    const bySection = new Map<number, SectionMemberRow[]>();
    for (const { sectionId, ...member } of rows) bySection.set(sectionId, [...(bySection.get(sectionId) ?? []), member]);
    return bySection;
  }

  /** Every active user's id and login (an import names evaluators by login). */
  activeLogins(): Promise<{ id: number; login: string }[]> {
    return this.dataSource.query(`SELECT id, login FROM users WHERE active`);
  }

  /** The names of the active chiefs (課長) of each section, in id order. */
  async chiefsOf(sectionIds: readonly number[]): Promise<Map<number, string[]>> {
    const unique = [...new Set(sectionIds)];
    if (!unique.length) return new Map();
    const rows: { section_id: number; name: string }[] = await this.dataSource.query(
      `SELECT section_id, name FROM users WHERE section_id = ANY($1::int[]) AND active AND 'chief' = ANY(roles) ORDER BY section_id, id`,
      [unique],
    );
    const map = new Map<number, string[]>();
    for (const r of rows) map.set(r.section_id, [...(map.get(r.section_id) ?? []), r.name]);
    return map;
  }

  /** The users by id, as the route reads them, with their names. */
  async forRouting(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, UserForRouting>> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return new Map();
    const rows: UserForRouting[] = await em.query(`SELECT id, section_id AS "sectionId", roles, active, name FROM users WHERE id = ANY($1::int[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r]));
  } /** Each section's active chiefs (ids ascending); sections without one map to []. */
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
  } /**
   * The active users who may hold a step of these entries: the chiefs of `sectionIds`, every
   * planning user, and `userIds` (evaluators, department heads, 合議 parties).
   */
  async activeStepHolders(sectionIds: readonly number[], userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<UserForRouting[]> {
    return em.query(
      `SELECT id, section_id AS "sectionId", roles, active, name FROM users
        WHERE active AND (('chief' = ANY(roles) AND section_id = ANY($1::int[])) OR 'planning' = ANY(roles) OR id = ANY($2::int[]))`,
      [[...new Set(sectionIds)], [...new Set(userIds)]],
    );
  } /**
   * The users with their post as people say it (経営企画部長 for a department head, 経営企画課長 for a
   * chief, else the section's name), for a delegate's banner.
   */
  async withPosts(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<(UserForRouting & { post: string | null })[]> {
    if (!userIds.length) return [];
    return em.query(
      `SELECT u.id, u.section_id AS "sectionId", u.roles, u.active, u.name,
              COALESCE((SELECT h.name || '長' FROM departments h WHERE h.head_user_id = u.id ORDER BY h.id LIMIT 1),
                       CASE WHEN 'chief' = ANY(u.roles) THEN s.name || '長' ELSE s.name END) AS post
         FROM users u LEFT JOIN sections s ON s.id = u.section_id
        WHERE u.id = ANY($1::int[])`,
      [[...new Set(userIds)]],
    );
  } /**
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
  } /** A user's superiors: the other active chiefs of their section and their department's head (null: no such user). */
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
