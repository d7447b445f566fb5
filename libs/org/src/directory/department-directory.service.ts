import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
}
