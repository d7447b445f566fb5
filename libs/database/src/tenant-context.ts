import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The municipality (tenant) the code now running works for. Every statement a DatabaseClient
 * sends runs under it: the connection's `hyoka.tenant_id` is set to it first whenever it differs,
 * and row-level security (migration 1732000011700) shows and accepts that tenant's rows only.
 * So queries never name the tenant; the context does, once per request or job.
 *
 * `undefined`: nothing decided here, the DataSource's fallback applies (the one tenant of a
 * single-city installation, TENANCY=single; none for TENANCY=multi). `null`: explicitly none,
 * every tenant's table looks empty.
 */
interface TenantScope {
  tenantId: number | null | undefined;
}

const storage = new AsyncLocalStorage<TenantScope>();

/** Runs fn, and everything it starts, as tenantId (null: as no tenant). */
export function runInTenant<T>(tenantId: number | null, fn: () => T): T {
  return storage.run({ tenantId }, fn);
}

/**
 * Runs fn in a scope whose tenant is decided later, once (setScopeTenant): a request, whose
 * tenant is known only when its sign-in has been checked.
 */
export function runInTenantScope<T>(fn: () => T): T {
  return storage.run({ tenantId: undefined }, fn);
}

/**
 * Decides the tenant of the enclosing runInTenantScope. A scope decided for another tenant stays
 * as it was: the caller is refused (false), so one request never acts for two municipalities.
 * Outside any scope there is nothing to decide (true): statements there run as the fallback.
 */
export function setScopeTenant(tenantId: number): boolean {
  const scope = storage.getStore();
  if (!scope) return true;
  if (scope.tenantId !== undefined && scope.tenantId !== tenantId) return false;
  scope.tenantId = tenantId;
  return true;
}

/** The tenant of the running context; undefined when none decided it (the fallback applies). */
export function contextTenantId(): number | null | undefined {
  return storage.getStore()?.tenantId;
}
