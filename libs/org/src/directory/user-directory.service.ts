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
}
