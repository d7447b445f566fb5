import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NamePeriod, nameValidOn } from '@app/domain';

export interface DepartmentNamePeriod extends NamePeriod {
  note: string | null;
}

/**
 * Names of the organisation as they were on a day: what reports of an earlier period print
 * (department_names, section_names; the reports' list query reads section names itself).
 */
@Injectable()
export class OrgNamesService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every department's name valid on `day` (a period's last day), by id: the name of the time
   * for a renamed department, the earliest recorded for one created later, else its current name.
   */
  async departmentNamesAt(day: string, em: EntityManager = this.dataSource.manager): Promise<Map<number, string>> {
    return this.namesAt(em, day, 'departments', 'department_names', 'department_id');
  }

  /** Every section's name valid on `day`, by id, by the same rule (the 提出状況 of an earlier period). */
  async sectionNamesAt(day: string, em: EntityManager = this.dataSource.manager): Promise<Map<number, string>> {
    return this.namesAt(em, day, 'sections', 'section_names', 'section_id');
  }

  /** One department's names, oldest first. */
  async departmentHistory(departmentId: number, em: EntityManager = this.dataSource.manager): Promise<DepartmentNamePeriod[]> {
    return em.query(
      `SELECT name, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo", note
         FROM department_names WHERE department_id = $1 ORDER BY valid_from, id`,
      [departmentId],
    );
  }

  private async namesAt(em: EntityManager, day: string, units: string, names: string, key: string): Promise<Map<number, string>> {
    const current: { id: number; name: string }[] = await em.query(`SELECT id, name FROM ${units}`);
    const periods: (NamePeriod & { unitId: number })[] = await em.query(
      `SELECT ${key} AS "unitId", name, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo" FROM ${names}`,
    );
    const byUnit = new Map<number, NamePeriod[]>();
    for (const p of periods) byUnit.set(p.unitId, [...(byUnit.get(p.unitId) ?? []), p]);
    return new Map(current.map((u) => [u.id, nameValidOn(byUnit.get(u.id) ?? [], day, u.name)]));
  }
}
