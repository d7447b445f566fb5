import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { SessionClient } from './sessions.service';

/**
 * The session id of the request's bearer token. Read without verifying: the guard has already
 * verified the token (and that its session is live) before any handler runs.
 */
export const CurrentSessionId = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const header: string | undefined = ctx.switchToHttp().getRequest<Request>().headers?.authorization;
  const body = header?.startsWith('Bearer ') ? header.slice(7).split('.')[1] : undefined;
  if (!body) return undefined;
  try {
    const sid = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')).sid;
    return typeof sid === 'string' ? sid : undefined;
  } catch {
    return undefined;
  }
});

/** Where a sign-in comes from (req.ip honours TRUST_PROXY). */
export function sessionClient(req: Request): SessionClient {
  const agent = req.headers['user-agent'];
  return { userAgent: typeof agent === 'string' ? agent : null, address: req.ip ?? null };
}
