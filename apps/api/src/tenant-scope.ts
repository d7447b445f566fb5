import type { NextFunction, Request, Response } from 'express';
import { errorBody, sendErrorBody } from '@app/common';
import { runInTenantScope, setScopeTenant, TenantsService } from '@app/database';

/** The header a client names its municipality by (its 全国地方公共団体コード) before it has a token. */
export const TENANT_HEADER = 'x-tenant';

/**
 * Each request runs in its own tenant scope (libs/database tenant-context): decided by the
 * X-Tenant header's 地方公共団体コード when there is one (a sign-in, the public site of a
 * multi-tenant installation), then by the token's tenant (AuthGuard; a token of another tenant
 * than the header's is refused). Undecided, the single-city installation's tenant applies, or
 * with TENANCY=multi none, so nothing is visible. After the body parsers: their stream events
 * would otherwise run the rest of the request outside the scope.
 */
export function tenantScope(tenants: TenantsService) {
  return (req: Request, res: Response, next: NextFunction) =>
    runInTenantScope(() => {
      const code = req.headers[TENANT_HEADER];
      if (typeof code !== 'string' || code === '') return next();
      tenants.byCode(code).then(
        (id) => {
          if (id === null || !setScopeTenant(id))
            return sendErrorBody(res, errorBody(404, 'not_found', `X-Tenant: 地方公共団体コード ${code.slice(0, 12)} の団体はありません`));
          next();
        },
        (error: unknown) => next(error),
      );
    });
}
