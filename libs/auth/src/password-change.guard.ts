import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { errorBody } from '@app/common';
import type { Actor } from '@app/domain';
import { UserDirectory } from '@app/org/directory/user-directory.service';

const ALLOWED_BEFORE_PASSWORD_CHANGE = 'auth:allowed-before-password-change';

/**
 * The route stays open to a user who must change their password: what they need to get out of
 * that state (who am I, change it, sign out). On AuthController, so every /auth route is.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);

/** Where AuthGuard leaves, on the request, the flag it read with the session. */
export const PASSWORD_CHANGE_REQUIRED = Symbol('passwordChangeRequired');

export const PASSWORD_CHANGE_REQUIRED_MESSAGE = 'このパスワードは管理者が設定したものです。続けるには、まずパスワードを変更してください';

/** Whether the user's password was set by someone else and not yet changed by them. */
export function passwordChangeRequired(users: UserDirectory, userId: number): Promise<boolean> {
  return users.passwordChangeRequired(userId);
}

/**
 * Global guard after AuthGuard: a signed-in user whose password an administrator or the
 * installer set gets 403 `password_change_required` on every route but the allowed ones,
 * until they change it (POST /api/auth/password clears the flag). Public routes pass.
 */
@Injectable()
export class PasswordChangeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UserDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const actor: Actor | undefined = request.actor;
    if (!actor) return true;
    if (this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_PASSWORD_CHANGE, [context.getHandler(), context.getClass()])) return true;
    const required: boolean | undefined = request[PASSWORD_CHANGE_REQUIRED];
    if (!(required ?? (await passwordChangeRequired(this.users, actor.id)))) return true;
    throw new HttpException(errorBody(HttpStatus.FORBIDDEN, 'password_change_required', PASSWORD_CHANGE_REQUIRED_MESSAGE), HttpStatus.FORBIDDEN);
  }
}
