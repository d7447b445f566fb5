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

  /** The id and password hash of the active user with this login (sign-in), or null. */
  async activePasswordHashByLogin(login: string): Promise<{ id: number; passwordHash: string } | null> {
    const [row]: { id: number; passwordHash: string }[] = await this.dataSource.query(
      `SELECT id, password_hash AS "passwordHash" FROM users WHERE login = $1 AND active`,
      [login],
    );
    return row ?? null;
  }

  /** The login, password hash and must-change flag of the active user with this id (password change), or null. */
  async activePasswordStateById(userId: number): Promise<{ login: string; passwordHash: string; passwordChangeRequired: boolean } | null> {
    const [row]: { login: string; passwordHash: string; passwordChangeRequired: boolean }[] = await this.dataSource.query(
      `SELECT login, password_hash AS "passwordHash", password_change_required AS "passwordChangeRequired" FROM users WHERE id = $1 AND active`,
      [userId],
    );
    return row ?? null;
  }

  /**
   * A rehashed password (same password, current parameters), only if the row still holds the
   * hash just verified: a concurrent password change wins. Not a password change.
   */
  async replacePasswordHashIfUnchanged(userId: number, verifiedHash: string, newHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, [userId, verifiedHash, newHash]);
  }

  /** The user's own password change, in the caller's transaction: new hash, changed now, no longer required. */
  async storeChangedPassword(em: EntityManager, userId: number, hash: string): Promise<void> {
    await em.query(`UPDATE users SET password_hash = $2, password_changed_at = now(), password_change_required = false, updated_at = now() WHERE id = $1`, [
      userId,
      hash,
    ]);
  }

  /** Whether the user's password was set by someone else and not yet changed by them (false for an unknown id). */
  async passwordChangeRequired(userId: number): Promise<boolean> {
    const [row]: { password_change_required: boolean }[] = await this.dataSource.query(`SELECT password_change_required FROM users WHERE id = $1`, [userId]);
    return Boolean(row?.password_change_required);
  }

  /** The users (id, active) whose e-mail address is this one, case-insensitively (single sign-on by e-mail). */
  idsAndActiveByEmail(email: string): Promise<{ id: number; active: boolean }[]> {
    return this.dataSource.query(`SELECT id, active FROM users WHERE lower(email) = lower($1)`, [email]);
  }

  /** The users (id, active) with this login (single sign-on by login). */
  idsAndActiveByLogin(login: string): Promise<{ id: number; active: boolean }[]> {
    return this.dataSource.query(`SELECT id, active FROM users WHERE login = $1`, [login]);
  }

  /** The active user's row as an actor is made of (see activeUserActorSql), or null. */
  async activeActorRow(userId: number): Promise<UserActorRow | null> {
    const [row]: UserActorRow[] = await this.dataSource.query(`SELECT a.* FROM (${activeUserActorSql('$1')}) a`, [userId]);
    return row ?? null;
  }
}

/** An active user's row as an actor is made of (snake_case, as the query answers). */
export interface UserActorRow {
  id: number;
  name: string;
  section_id: number | null;
  department_id: number | null;
  roles: string[];
  password_change_required: boolean;
  /** password_changed_at in whole seconds since the epoch (bigint as text), or null. */
  changed: string | null;
}

/**
 * The SELECT of the active user whose id is the SQL expression `userIdSql` (a parameter or a
 * column of the caller's query), with their section's department: for a caller that must read
 * the user in its own statement (the per-request session check: one round trip, issue #19), as
 * `LEFT JOIN LATERAL (activeUserActorSql('s.user_id')) u ON true`. No row when the user is
 * missing or inactive. A department head (評価者) often has no section: their department is the
 * one they head.
 */
export function activeUserActorSql(userIdSql: string): string {
  return `SELECT u.id, u.name, u.section_id, u.roles, u.password_change_required,
              floor(extract(epoch FROM u.password_changed_at))::bigint AS changed,
              COALESCE(us.department_id, (SELECT d.id FROM departments d WHERE d.head_user_id = u.id ORDER BY d.id LIMIT 1)) AS department_id
         FROM users u LEFT JOIN sections us ON us.id = u.section_id
        WHERE u.id = ${userIdSql} AND u.active`;
}
