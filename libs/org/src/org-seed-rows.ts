import type { EntityManager } from 'typeorm';
import type { Role } from '@app/domain';

/*
 * The organisation's writes for the demo seed (libs/seed), in the seed's transaction. Insert-only
 * and matched by code or login, so a second run (or a database edited since) changes nothing;
 * unaudited like the rest of the seed's organisation (the seed audits its run as a whole).
 */

/** The department with this code, inserted when missing. */
export async function seedDepartment(em: EntityManager, d: { code: string; name: string }): Promise<{ id: number; created: boolean }> {
  const [row]: { id: number }[] = await em.query(`INSERT INTO departments (code, name) VALUES ($1, $2) ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`, [
    d.code,
    d.name,
  ]);
  const [dept]: { id: number }[] = await em.query(`SELECT id FROM departments WHERE code = $1`, [d.code]);
  return { id: dept.id, created: Boolean(row) };
}

/** The section with this code, inserted (in the department) when missing. */
export async function seedSection(em: EntityManager, s: { departmentId: number; code: string; name: string }): Promise<{ id: number; created: boolean }> {
  const [row]: { id: number }[] = await em.query(
    `INSERT INTO sections (department_id, code, name) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`,
    [s.departmentId, s.code, s.name],
  );
  const [section]: { id: number }[] = await em.query(`SELECT id FROM sections WHERE code = $1`, [s.code]);
  return { id: section.id, created: Boolean(row) };
}

/** One name of a new section's history (`validTo` null: its current name). */
export async function seedSectionName(
  em: EntityManager,
  n: { sectionId: number; name: string; validFrom: string; validTo: string | null; note: string },
): Promise<void> {
  await em.query(`INSERT INTO section_names (section_id, name, valid_from, valid_to, note) VALUES ($1, $2, $3, $4, $5)`, [
    n.sectionId,
    n.name,
    n.validFrom,
    n.validTo,
    n.note,
  ]);
}

/** A user with this login, inserted when missing; whether it was. */
export async function seedUser(
  em: EntityManager,
  u: { login: string; name: string; email: string; sectionId: number | null; roles: Role[]; passwordHash: string },
): Promise<boolean> {
  const [row]: { id: number }[] = await em.query(
    `INSERT INTO users (login, name, email, section_id, roles, password_hash) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, login) DO NOTHING RETURNING id`,
    [u.login, u.name, u.email, u.sectionId, u.roles, u.passwordHash],
  );
  return Boolean(row);
}

/** The department's head is the user with this login, unless someone set another. */
export async function seedDepartmentHead(em: EntityManager, departmentCode: string, login: string): Promise<void> {
  await em.query(`UPDATE departments SET head_user_id = (SELECT id FROM users WHERE login = $2) WHERE code = $1 AND head_user_id IS NULL`, [
    departmentCode,
    login,
  ]);
}

/** login → id of those of these logins that exist. */
export async function userIdsByLogin(em: EntityManager, logins: readonly string[]): Promise<Map<string, number>> {
  const rows: { id: number; login: string }[] = await em.query(`SELECT id, login FROM users WHERE login = ANY($1)`, [[...logins]]);
  return new Map(rows.map((r) => [r.login, r.id]));
}

/** How many departments, sections and users there are (the seed's summary). */
export async function organisationCounts(em: EntityManager): Promise<{ departments: number; sections: number; users: number }> {
  const [row]: { departments: number; sections: number; users: number }[] = await em.query(
    `SELECT (SELECT count(*)::int FROM departments) AS departments, (SELECT count(*)::int FROM sections) AS sections, (SELECT count(*)::int FROM users) AS users`,
  );
  return row;
}

/** The department of this name (null: none). */
export async function departmentIdByName(em: EntityManager, name: string): Promise<number | null> {
  const [row]: { id: number }[] = await em.query(`SELECT id FROM departments WHERE name = $1`, [name]);
  return row?.id ?? null;
}

/** The user with this login as an actor of a script (no section, no department: the seed's admin). */
export async function scriptActor(em: EntityManager, login: string): Promise<{ id: number; name: string; roles: Role[] } | null> {
  const [row]: { id: number; name: string; roles: Role[] }[] = await em.query(`SELECT id, name, roles FROM users WHERE login = $1`, [login]);
  return row ?? null;
}
