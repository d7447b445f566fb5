import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** A request id a client or proxy may pass on: short and plain, so it cannot forge log lines. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One line per API request once it is answered: method, path (never the query string),
 * status, time, the user, and a request id (the caller's X-Request-Id if plain, else a new
 * one), which the response carries back so a user's report can be found in the log.
 * Static files of the UI and successful health probes are not logged.
 */
export function accessLog(): (req: Request, res: Response, next: NextFunction) => void {
  const logger = new Logger('http');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0];
      const api = path.startsWith('/api/') || path.startsWith('/public/') || path === '/health';
      if (!api || (path === '/health' && res.statusCode === 200)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const user = (req as Request & { actor?: { id: number } }).actor?.id;
      logger.log(`${req.method} ${path} ${res.statusCode} ${ms.toFixed(1)}ms user=${user ?? '-'} id=${id}`);
    });
    next();
  };
}
