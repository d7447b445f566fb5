import * as bcrypt from 'bcryptjs';
import type { Role } from '@app/domain';
import type { TestApp } from './test-app';

/**
 * Small factories for end-to-end tests: rows are inserted directly (fast, no audit noise),
 * logins go through HTTP like a user's would. Every user's password is 'password'.
 */

let counter = 0;
const next = () => `${process.pid.toString(36)}${(++counter).toString(36)}`;
let hash: string | undefined;

export async function createDepartment(t: TestApp, opts: { code?: string; name?: string } = {}): Promise<number> {
  const code = opts.code ?? `d${next()}`;
  const [row] = await t.db.query(`INSERT INTO departments (code, name) VALUES ($1, $2) RETURNING id`, [code, opts.name ?? `部${code}`]);
  return row.id;
}

/** A section with its first name-history row; creates a department when none is given. */
export async function createSection(t: TestApp, opts: { departmentId?: number; code?: string; name?: string; validFrom?: string } = {}): Promise<number> {
  const departmentId = opts.departmentId ?? (await createDepartment(t));
  const code = opts.code ?? `s${next()}`;
  const name = opts.name ?? `課${code}`;
  const [row] = await t.db.query(`INSERT INTO sections (department_id, code, name) VALUES ($1, $2, $3) RETURNING id`, [departmentId, code, name]);
  await t.db.query(`INSERT INTO section_names (section_id, name, valid_from) VALUES ($1, $2, $3)`, [row.id, name, opts.validFrom ?? '2020-04-01']);
  return row.id;
}

export async function createUser(t: TestApp, opts: { login: string; roles: Role[]; sectionId?: number | null; name?: string }): Promise<number> {
  hash ??= await bcrypt.hash('password', 4);
  const [row] = await t.db.query(
    `INSERT INTO users (login, name, email, section_id, roles, password_hash) VALUES ($1, $2, $1 || '@example.jp', $3, $4, $5) RETURNING id`,
    [opts.login, opts.name ?? opts.login, opts.sectionId ?? null, opts.roles, hash],
  );
  return row.id;
}

/** Logs in through the api and returns the bearer token. */
export async function loginAs(t: TestApp, login: string, password = 'password'): Promise<string> {
  const res = await t.http().post('/api/auth/login').send({ login, password });
  if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** createUser + loginAs. */
export async function userWithToken(t: TestApp, opts: { login: string; roles: Role[]; sectionId?: number | null }): Promise<{ id: number; token: string }> {
  const id = await createUser(t, opts);
  return { id, token: await loginAs(t, opts.login) };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
