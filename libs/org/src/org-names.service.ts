import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NamePeriod, nameValidOn } from '@app/domain';

export interface DepartmentNamePeriod extends NamePeriod {
  note: string | null;
}

/**
 * Names of the organisation as they were on a day: what reports of an earlier period print
 * (department_names; section names are read by the reports' own query from section_names).
 */
@Injectable()
export class OrgNamesService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every department's name valid on `day` (a period's last day), by id: the name of the time
   * for a renamed department, the earliest recorded for one created later, else its current name.
   */
  async departmentNamesAt(day: string, em: EntityManager = this.dataSource.manager): Promise<Map<number, string>> {
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
  async departmentHistory(departmentId: number, em: EntityManager = this.dataSource.manager): Promise<DepartmentNamePeriod[]> {
    return em.query(
      `SELECT name, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo", note
         FROM department_names WHERE department_id = $1 ORDER BY valid_from, id`,
      [departmentId],
    );
  }
}
