import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A section as other libs read it: plain data, no entity. */
export interface SectionRow {
  id: number;
  code: string;
  name: string;
  departmentId: number;
  active: boolean;
}

/** A section with its department and that department's head. */
export interface SectionPlaceRow extends SectionRow {
  departmentName: string;
  /** The department's head (departments.head_user_id; null: none). */
  headUserId: number | null;
  /** Whether that head is an active user (false when there is none). */
  headActive: boolean;
}

const PLACE_SQL = `SELECT s.id, s.code, s.name, s.department_id AS "departmentId", s.active, d.name AS "departmentName", d.head_user_id AS "headUserId",
         COALESCE(h.active, false) AS "headActive"
    FROM sections s JOIN departments d ON d.id = s.department_id LEFT JOIN users h ON h.id = d.head_user_id`;

/** Typed reads of `sections` and `section_names` for other libs (which never query them), in the caller's transaction where one is passed. */
@Injectable()
export class SectionDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** The sections with these ids (any order; missing ids are left out). */
  async rows(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, SectionRow>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: SectionRow[] = await em.query(`SELECT id, code, name, department_id AS "departmentId", active FROM sections WHERE id = ANY($1::int[])`, [
      unique,
    ]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The sections with these ids with their department's name and head, in one read. */
  async withDepartments(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, SectionPlaceRow>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: SectionPlaceRow[] = await em.query(`${PLACE_SQL} WHERE s.id = ANY($1::int[])`, [unique]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Every section (active or not) with its department's name and head. */
  allWithDepartments(): Promise<SectionPlaceRow[]> {
    return this.dataSource.query(`${PLACE_SQL} ORDER BY s.id`);
  }

  /**
   * The section a file names by code or current name (a 機構改革 row): an active one first, then
   * one whose code it is; null when none. Inactive ones are returned so the caller can say so.
   */
  async byCodeOrName(
    text: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ id: number; name: string; active: boolean; departmentId: number } | null> {
    const [s]: { id: number; name: string; active: boolean; departmentId: number }[] = await em.query(
      `SELECT id, name, active, department_id AS "departmentId" FROM sections WHERE code = $1 OR name = $1 ORDER BY active DESC, (code = $1) DESC, id LIMIT 1`,
      [text],
    );
    return s ?? null;
  }

  /** Every active section, by id. */
  active(em: EntityManager = this.dataSource.manager): Promise<SectionRow[]> {
    return em.query(`SELECT id, code, name, department_id AS "departmentId", active FROM sections WHERE active ORDER BY id`);
  }

  /** The ids of a department's sections (active or not). */
  async idsInDepartment(departmentId: number): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(`SELECT id FROM sections WHERE department_id = $1 ORDER BY id`, [departmentId]);
    return rows.map((r) => r.id);
  }

  /**
   * The name each section had on `date` (after a reorganisation a past report keeps its names):
   * the name valid then, else the earliest one recorded, else the current name.
   */
  async namesAt(ids: readonly number[], date: string): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: { id: number; name: string }[] = await this.dataSource.query(
      `SELECT s.id, COALESCE(nm.name, s.name) AS name
         FROM sections s
         LEFT JOIN LATERAL (
           SELECT n.name FROM section_names n
            WHERE n.section_id = s.id
            ORDER BY (n.valid_from <= $2::date AND (n.valid_to IS NULL OR n.valid_to >= $2::date)) DESC, n.valid_from, n.id
            LIMIT 1) nm ON true
        WHERE s.id = ANY($1::int[])`,
      [unique, date],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The sections of the departments each user heads (a department head's evaluator steps). */
  async headedBy(userIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<{ sectionId: number; headUserId: number }[]> {
    if (!userIds.length) return [];
    return em.query(
      `SELECT s.id AS "sectionId", d.head_user_id AS "headUserId"
         FROM departments d JOIN sections s ON s.department_id = d.id WHERE d.head_user_id = ANY($1::int[])`,
      [[...new Set(userIds)]],
    );
  }

  /** The section with its department's id and that department's head's name, in the caller's transaction, or null. */
  async withDepartmentHeadName(
    id: number,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ departmentId: number; name: string; headName: string | null } | null> {
    const [row] = await em.query(
      `SELECT s.department_id AS "departmentId", s.name, u.name AS "headName"
         FROM sections s JOIN departments d ON d.id = s.department_id LEFT JOIN users u ON u.id = d.head_user_id WHERE s.id = $1`,
      [id],
    );
    return row ?? null;
  }
}

/**
 * The SELECT of the section whose id is the SQL expression `sectionIdSql` (a column of the
 * caller's query), answering its `department_id` and that department's `head_user_id`: for a
 * caller that must read them in its own statement (EntriesService.lock, one round trip on the
 * approve path), as `JOIN LATERAL (sectionDepartmentSql('e.section_id')) s ON true`.
 */
export function sectionDepartmentSql(sectionIdSql: string): string {
  return `SELECT s.department_id, d.head_user_id FROM sections s JOIN departments d ON d.id = s.department_id WHERE s.id = ${sectionIdSql}`;
}
