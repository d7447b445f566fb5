import type { Role } from '@app/domain';
import { build } from './builder';
import type { TestApp } from './test-app';

/**
 * The older factory names, kept for the suites that use them; rows come from the builder
 * (test/utils/builder.ts), logins go through HTTP like a user's would. Every user's password is 'password'.
 */

export function createDepartment(t: TestApp, opts: { code?: string; name?: string } = {}): Promise<number> {
  return build(t).department(opts);
}

/** A section with its first name-history row; creates a department when none is given. */
export function createSection(t: TestApp, opts: { departmentId?: number; code?: string; name?: string; validFrom?: string } = {}): Promise<number> {
  return build(t).section(opts);
}

export function createUser(t: TestApp, opts: { login: string; roles: Role[]; sectionId?: number | null; name?: string }): Promise<number> {
  return build(t).user({ login: opts.login, roles: opts.roles, section: opts.sectionId ?? null, name: opts.name });
}

/** Logs in through the api and returns the bearer token. */
export function loginAs(t: TestApp, login: string, password = 'password'): Promise<string> {
  return build(t).token(login, password);
}

/** createUser + loginAs. */
export async function userWithToken(t: TestApp, opts: { login: string; roles: Role[]; sectionId?: number | null }): Promise<{ id: number; token: string }> {
  const id = await createUser(t, opts);
  return { id, token: await loginAs(t, opts.login) };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
