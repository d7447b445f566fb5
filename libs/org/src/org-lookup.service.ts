import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

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
 * Typed reads of the organisation for other libs (approvals, entries), batched by id so a caller
 * joins them in memory instead of joining org's tables in its own SQL. No controllers, no writes.
 * Every method takes the caller's EntityManager to read inside its transaction.
 */
@Injectable()
export class OrgLookupService {
  constructor(private readonly dataSource: DataSource) {}

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
