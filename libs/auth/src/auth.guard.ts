import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@app/common';
import { isReadOnly, type Role } from '@app/domain';
import { IS_PUBLIC, OWN_ACCOUNT, REQUIRED_ROLES } from './auth.decorators';
import { AuthService } from './auth.service';
import { PASSWORD_CHANGE_REQUIRED } from './password-change.guard';

/** Methods that read. */
const READS = new Set(['GET', 'HEAD']);
export const READ_ONLY_MESSAGE = '都道府県担当の利用者は閲覧のみです。登録・変更・承認などの操作はできません';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public, and the
 * roles named by @Roles. The session and its user are reloaded on each request (one query) so
 * an ended session, a deactivated user or a changed role takes effect at once, not when the
 * token expires. A read-only role (the prefecture's user) is refused every method but GET and
 * HEAD, whatever roles the route names, except the few @OwnAccount ones (its own password and
 * sessions): it may read, never write (the database refuses it any other municipality's rows anyway).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers?.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw new DomainError('unauthorized', 'ログインが必要です');
    const session = await this.auth.sessionFromToken(token);
    request.actor = session.actor;
    // Read in the same round trip; PasswordChangeGuard, next, decides on it without asking again.
    request[PASSWORD_CHANGE_REQUIRED] = session.passwordChangeRequired;
    if (isReadOnly(request.actor) && !READS.has(request.method) && !this.reflector.getAllAndOverride<boolean>(OWN_ACCOUNT, targets)) {
      throw DomainError.forbidden(READ_ONLY_MESSAGE);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !request.actor.roles.some((r: Role) => roles.includes(r))) {
      throw DomainError.forbidden();
    }
    return true;
  }
}
