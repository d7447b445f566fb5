import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from '@app/domain';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLES = 'auth:roles';
export const OWN_ACCOUNT = 'auth:own-account';

/** The route needs no login (health, login, published summaries). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * A write that touches only the caller's own sign-in (password, sign-out, sessions): a read-only
 * role (the prefecture's, READ_ONLY_ROLES) may call it; it is refused every other write.
 */
export const OwnAccount = () => SetMetadata(OWN_ACCOUNT, true);

/** The caller must hold at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The authenticated caller, as loaded from the database by the guard. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest().actor;
});
