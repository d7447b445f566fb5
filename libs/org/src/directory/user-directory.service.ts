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

  /** Of these ids, the active users'. */
  async activeIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Set<number>> {
    return new Set([...(await this.rows(ids, em)).values()].filter((u) => u.active).map((u) => u.id));
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
}
