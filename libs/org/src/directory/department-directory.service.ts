import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface DepartmentRow {
  id: number;
  name: string;
  headUserId: number | null;
}

/** Typed reads of `departments` for other libs. */
@Injectable()
export class DepartmentDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async rows(ids: readonly number[]): Promise<Map<number, DepartmentRow>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: DepartmentRow[] = await this.dataSource.query(`SELECT id, name, head_user_id AS "headUserId" FROM departments WHERE id = ANY($1::int[])`, [
      unique,
    ]);
    return new Map(rows.map((r) => [r.id, r]));
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
