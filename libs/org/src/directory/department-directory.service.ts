import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NamePeriod, nameValidOn } from '@app/domain';

/** A department and its head (null: none). */
export interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  headUserId: number | null;
}

export interface DepartmentNamePeriod extends NamePeriod {
  note: string | null;
}

/** Typed reads of `departments` and `department_names` for other libs (which never query them). */
@Injectable()
export class DepartmentDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** The departments with these ids, by id. */
  async rows(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, DepartmentRow>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: DepartmentRow[] = await em.query(`SELECT id, code, name, head_user_id AS "headUserId" FROM departments WHERE id = ANY($1::int[])`, [unique]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The department a file names by code or name, the code first; null when none. */
  async byCodeOrName(text: string, em: EntityManager = this.dataSource.manager): Promise<{ id: number; name: string } | null> {
    const [d]: { id: number; name: string }[] = await em.query(
      `SELECT id, name FROM departments WHERE code = $1 OR name = $1 ORDER BY (code = $1) DESC LIMIT 1`,
      [text],
    );
    return d ?? null;
  }

  /**
   * Every department's name valid on `day` (a period's last day), by id: the name of the time
   * for a renamed department, the earliest recorded for one created later, else its current name.
   */
  async allNamesAt(day: string, em: EntityManager = this.dataSource.manager): Promise<Map<number, string>> {
    const departments: { id: number; name: string }[] = await em.query(`SELECT id, name FROM departments`);
    const periods: (NamePeriod & { departmentId: number })[] = await em.query(
      `SELECT department_id AS "departmentId", name, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
         FROM department_names`,
    );
    const byDepartment = new Map<number, NamePeriod[]>();
    for (const p of periods) byDepartment.set(p.departmentId, [...(byDepartment.get(p.departmentId) ?? []), p]);
    return new Map(departments.map((d) => [d.id, nameValidOn(byDepartment.get(d.id) ?? [], day, d.name)]));
  }

  /** One department's names, oldest first. */
  nameHistory(departmentId: number, em: EntityManager = this.dataSource.manager): Promise<DepartmentNamePeriod[]> {
    return em.query(
      `SELECT name, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo", note
         FROM department_names WHERE department_id = $1 ORDER BY valid_from, id`,
      [departmentId],
    );
  }

  /** The department with its head's name (a form's 基本方針 prints it), in the caller's transaction, or null. */
  async withHeadName(id: number, em: EntityManager = this.dataSource.manager): Promise<{ departmentId: number; name: string; headName: string | null } | null> {
    const [row] = await em.query(
      `SELECT d.id AS "departmentId", d.name, u.name AS "headName" FROM departments d LEFT JOIN users u ON u.id = d.head_user_id WHERE d.id = $1`,
      [id],
    );
    return row ?? null;
  }
}
