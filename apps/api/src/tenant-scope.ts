import type { NextFunction, Request, Response } from 'express';
import { errorBody, sendErrorBody } from '@app/common';
import { runInTenantScope, setScopeTenant, TenantsService } from '@app/database';

/** The header a client names its municipality by (its 全国地方公共団体コード) before it has a token. */
export const TENANT_HEADER = 'x-tenant';

/**
 * The public site in a browser, which sends no header: `/public?t=<コード>` names the municipality
 * and this cookie (path /public, no script access) keeps it for the links that follow.
 */
export const PUBLIC_TENANT_COOKIE = 'hyoka_public_tenant';

/** The municipality a request names: its header, else (a public page) `?t=` or the cookie that remembers it. */
function namedTenant(req: Request): { code: string; from: 'header' | 'query' | 'cookie' } | null {
  const header = req.headers[TENANT_HEADER];
  if (typeof header === 'string' && header !== '') return { code: header, from: 'header' };
  if (!(req.path === '/public' || req.path.startsWith('/public/'))) return null;
  const query = req.query?.t;
  if (typeof query === 'string' && query !== '') return { code: query, from: 'query' };
  const cookie = /(?:^|;\s*)hyoka_public_tenant=(\d{6})(?:;|$)/.exec(req.headers.cookie ?? '');
  return cookie ? { code: cookie[1], from: 'cookie' } : null;
}

/**
 * Each request runs in its own tenant scope (libs/database tenant-context): decided by the
 * X-Tenant header's 地方公共団体コード when there is one (a sign-in, every call of the web UI of a
 * multi-tenant installation), on a public page by `?t=<コード>` or the cookie it left, then by the token's tenant (AuthGuard; a token of another tenant
 * than the header's is refused). Undecided, the single-city installation's tenant applies, or
 * with TENANCY=multi none, so nothing is visible. After the body parsers: their stream events
 * would otherwise run the rest of the request outside the scope.
 */
export function tenantScope(tenants: TenantsService) {
  return (req: Request, res: Response, next: NextFunction) =>
    runInTenantScope(() => {
      // A public page differs by municipality: a cache keeps one copy per header and cookie.
      if (req.path === '/public' || req.path.startsWith('/public/')) res.setHeader('Vary', 'X-Tenant, Cookie');
      const named = namedTenant(req);
      if (!named) return next();
      const { code, from } = named;
      tenants.byCode(code).then(
        (id) => {
          // A remembered municipality that is gone is forgotten, not a dead end on every page.
          if (id === null && from === 'cookie') return next();
          if (id === null || !setScopeTenant(id))
            return sendErrorBody(
              res,
              errorBody(404, 'not_found', `${from === 'header' ? 'X-Tenant' : 't'}: 地方公共団体コード ${code.slice(0, 12)} の団体はありません`),
            );
          if (from === 'query') res.cookie(PUBLIC_TENANT_COOKIE, code, { path: '/public', httpOnly: true, sameSite: 'lax' });
          next();
        },
        (error: unknown) => next(error),
      );
    });
}
