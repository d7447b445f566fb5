import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/config';
import { errorBody } from '@app/common';
import { RateLimiter } from './rate-limiter';

export const LOGIN_WINDOW_MS = 60_000;

/** Who a login attempt counts against: the client address and the login name tried. */
export function loginTrackerKey(req: Pick<Request, 'ip' | 'body'>): string {
  const login = typeof req.body?.login === 'string' ? req.body.login.trim().toLowerCase().slice(0, 200) : '';
  // Hashed: Redis holds no login names.
  return `login:${createHash('sha256')
    .update(`${req.ip ?? 'unknown'}|${login}`)
    .digest('hex')}`;
}

/**
 * POST /api/auth/login only: LOGIN_RATE_LIMIT attempts per minute per client IP and login
 * name (successful ones count too), shared by every api instance through Redis. Over the
 * limit: 429 with Retry-After. Behind a reverse proxy, express's 'trust proxy' must be set
 * for req.ip to be the client's address.
 */
@Injectable()
export class LoginRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const limit = this.config.LOGIN_RATE_LIMIT;
    const hit = await this.limiter.hit(loginTrackerKey(req), LOGIN_WINDOW_MS, limit);
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - hit.count)));
    res.setHeader('X-RateLimit-Reset', String(hit.resetSeconds));
    if (hit.blocked) {
      res.setHeader('Retry-After', String(hit.resetSeconds));
      const message = `ログインの試行回数が上限を超えました。${hit.resetSeconds}秒後に再度お試しください`;
      throw new HttpException(
        errorBody(HttpStatus.TOO_MANY_REQUESTS, 'too_many_requests', message, { retryAfterSeconds: hit.resetSeconds }),
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return true;
  }
}
