/**
 * The municipality this browser works for, in a multi-tenant installation (TENANCY=multi): its
 * 全国地方公共団体コード, sent as X-Tenant on every API call (apps/api tenant-scope.ts). It comes
 * from the address the municipality gives its staff (`/?t=131016`), or from the choice on the
 * sign-in page, and is remembered in localStorage. A single-city installation never needs one.
 */
const TENANT_KEY = 'hyoka.tenant';

export const TENANT_CODE_PATTERN = /^\d{6}$/;

export function tenantCode(): string | null {
  return localStorage.getItem(TENANT_KEY);
}

/** Remembers a municipality; `onChange` runs when it is another than the one before (a session of the other is no use). */
export function chooseTenant(code: string | null, onChange?: () => void): void {
  const before = tenantCode();
  if (code) localStorage.setItem(TENANT_KEY, code);
  else localStorage.removeItem(TENANT_KEY);
  if (before !== code) onChange?.();
}

/** `?t=<コード>` in the address (before the #): remembered, then taken out of the address bar. */
export function tenantFromAddress(onChange: () => void): void {
  const params = new URLSearchParams(location.search);
  const code = params.get('t');
  if (!code || !TENANT_CODE_PATTERN.test(code)) return;
  chooseTenant(code, onChange);
  params.delete('t');
  const search = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
}

/** The public site of this municipality (its pages remember it by a cookie from there on). */
export function publicSiteHref(): string {
  const code = tenantCode();
  return code ? `/public?t=${code}` : '/public';
}

/** Where single sign-on starts, for this municipality: the browser's trip to the IdP and back sends no header. */
export function ssoStartHref(next: string | null): string {
  const params = new URLSearchParams();
  if (next) params.set('next', next);
  const code = tenantCode();
  if (code) params.set('t', code);
  const query = params.toString();
  return `/api/auth/oidc/start${query ? `?${query}` : ''}`;
}
