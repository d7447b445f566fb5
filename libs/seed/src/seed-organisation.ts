import { EntityManager } from 'typeorm';
import { addDays } from '@app/domain';
import type { SeedData } from './seed-data';

export interface SeedCreated {
  departments: number;
  sections: number;
  users: number;
  plans: number;
  items: number;
  kpis: number;
}

/** Ids of the seeded organisation by the names the reports print. */
export interface SeededOrganisation {
  /** A section by its current name or a former one ('情報管理課' is 情報政策課). */
  sectionId(name: string): number;
  departmentId(name: string): number;
  userId(login: string): number;
}

interface NewUser {
  login: string;
  name: string;
  sectionId: number | null;
  roles: string[];
}

/** The first name of every section starts then, as in the first version of the seed. */
const DEMO_NAMES_FROM = '2023-04-01';

/**
 * Departments, sections (with the names they had before a rename the reports print, as the
 * rename API records them) and the demo users: admin, planning, one evaluator per department
 * (its head: named as the department-goals report names the head, where it does), a chief and
 * a staff member per section, and the 参事 who evaluate the demo programs. Insert-only: rows are
 * matched by code and login.
 */
export async function seedOrganisation(em: EntityManager, data: SeedData, passwordHash: string, created: SeedCreated): Promise<SeededOrganisation> {
  const org = data.organisation;
  const sectionIds = new Map<string, number>();
  const departmentIds = new Map<string, number>();
  const heads = new Map(data.goals.departments.map((d) => [d.name, d.headName]));

  for (const d of org.departments) {
    const [row] = await em.query(`INSERT INTO departments (code, name) VALUES ($1, $2) ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`, [
      d.code,
      d.name,
    ]);
    if (row) created.departments++;
    const [dept] = await em.query(`SELECT id FROM departments WHERE code = $1`, [d.code]);
    departmentIds.set(d.name, dept.id);
    for (const [code, name] of d.sections) {
      const [s] = await em.query(`INSERT INTO sections (department_id, code, name) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`, [
        dept.id,
        code,
        name,
      ]);
      const former = org.formerSectionNames.filter((f) => f.code === code).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      if (s) {
        created.sections++;
        for (const f of former) {
          await em.query(`INSERT INTO section_names (section_id, name, valid_from, valid_to, note) VALUES ($1, $2, $3, $4, 'デモデータ')`, [
            s.id,
            f.name,
            f.validFrom,
            f.validTo,
          ]);
        }
        const last = former[former.length - 1];
        await em.query(`INSERT INTO section_names (section_id, name, valid_from, note) VALUES ($1, $2, $3, $4)`, [
          s.id,
          name,
          last ? addDays(last.validTo, 1) : DEMO_NAMES_FROM,
          last ? `旧 ${last.name}` : 'デモデータ',
        ]);
      }
      const [section] = await em.query(`SELECT id FROM sections WHERE code = $1`, [code]);
      for (const n of [name, ...former.map((f) => f.name)]) sectionIds.set(n, section.id);
    }
  }
  const sectionId = (name: string): number => {
    const id = sectionIds.get(name);
    if (id === undefined) throw new Error(`seed: 課「${name}」が organisation.json にありません`);
    return id;
  };

  const users: NewUser[] = [
    { login: 'admin', name: 'システム管理者', sectionId: null, roles: ['admin'] },
    { login: 'planning', name: '経営企画課 企画担当', sectionId: sectionId(org.planningSection), roles: ['planning'] },
  ];
  for (const d of org.departments) {
    users.push({ login: `eval-${d.code}`, name: heads.get(d.name) ?? `${d.name}長`, sectionId: null, roles: ['evaluator'] });
    for (const [code, name] of d.sections) {
      users.push({ login: `chief-${code}`, name: `${name}長`, sectionId: sectionId(name), roles: ['chief'] });
      users.push({ login: `staff-${code}`, name: `${name} 担当`, sectionId: sectionId(name), roles: ['staff'] });
    }
  }
  for (const p of data.programs) {
    if (!users.some((u) => u.login === p.evaluator.login)) {
      users.push({ login: p.evaluator.login, name: p.evaluator.name, sectionId: sectionId(p.section), roles: ['evaluator'] });
    }
  }
  for (const u of users) {
    const [row] = await em.query(
      `INSERT INTO users (login, name, email, section_id, roles, password_hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, login) DO NOTHING RETURNING id`,
      [u.login, u.name, `${u.login}@example.jp`, u.sectionId, u.roles, passwordHash],
    );
    if (row) created.users++;
  }
  // The department head (評価者) is the department's evaluator unless someone set another.
  for (const d of org.departments) {
    await em.query(`UPDATE departments SET head_user_id = (SELECT id FROM users WHERE login = $2) WHERE code = $1 AND head_user_id IS NULL`, [
      d.code,
      `eval-${d.code}`,
    ]);
  }
  const userIds = new Map<string, number>(
    (await em.query(`SELECT id, login FROM users WHERE login = ANY($1)`, [users.map((u) => u.login)])).map((r: { id: number; login: string }) => [
      r.login,
      r.id,
    ]),
  );

  return {
    sectionId,
    departmentId: (name) => {
      const id = departmentIds.get(name);
      if (id === undefined) throw new Error(`seed: 部「${name}」が organisation.json にありません`);
      return id;
    },
    userId: (login) => {
      const id = userIds.get(login);
      if (id === undefined) throw new Error(`seed: 利用者 ${login} がありません`);
      return id;
    },
  };
}
