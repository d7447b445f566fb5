import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface UserNameRow {
  id: number;
  login: string;
  name: string;
  active: boolean;
}

/** Typed reads of `users` (names and logins only) for other libs. */
@Injectable()
export class UserDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** The users with these ids, active or not (a report names whoever acted). */
  async rows(ids: readonly (number | null | undefined)[], em: EntityManager = this.dataSource.manager): Promise<Map<number, UserNameRow>> {
    const unique = [...new Set(ids.filter((id): id is number => typeof id === 'number'))];
    if (!unique.length) return new Map();
    const rows: UserNameRow[] = await em.query(`SELECT id, login, name, active FROM users WHERE id = ANY($1::int[])`, [unique]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Of these ids, the active users'. */
  async activeIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Set<number>> {
    return new Set([...(await this.rows(ids, em)).values()].filter((u) => u.active).map((u) => u.id));
  }

  /** Every active user's id and login (an import names evaluators by login). */
  activeLogins(): Promise<{ id: number; login: string }[]> {
    return this.dataSource.query(`SELECT id, login FROM users WHERE active`);
  }

  /** The active chiefs (課長) of each section, in id order. */
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
