import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig } from '@app/config';

/** Paths the api owns; they never fall back to index.html. */
export const NOT_WEB_PATHS = /^\/(api|public|health)(\/|$)/;
/** A request for a file (an old hashed asset) gets a 404, not the page. */
const FILE_PATH = /\/[^/]+\.[A-Za-z0-9]+$/;

/**
 * Where the built web UI lives: WEB_DIST, or web/dist of the repository. Resolved from the
 * working directory (the repository root for npm scripts, /app in the image) because the
 * compiled api sits at a different depth than its sources and Jest's ESM mode has no __dirname.
 */
export function webDistPath(config: AppConfig): string {
  return config.WEB_DIST ? resolve(config.WEB_DIST) : join(process.cwd(), 'web', 'dist');
}

/**
 * Serves web/dist at / and index.html for any other GET outside /api, /public and /health
 * (the UI routes by hash, so this only matters for stray paths and bookmarks).
 *
 * Registered in onModuleInit, which Nest runs after the api routes are mounted and before its
 * 404 handler, so an api route always wins. @nestjs/serve-static picks its loader when its
 * providers are created, which under Test.createTestingModule happens before the HTTP adapter
 * exists, so it silently serves nothing in e2e tests; this module reads the adapter at init.
 */
@Module({})
export class WebModule implements OnModuleInit {
  private readonly logger = new Logger('web');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter || adapter.getType() !== 'express') return;
    const root = webDistPath(this.config);
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      // The api stays usable without the bundle (api-only deployments, suites that never build it).
      this.logger.warn(`web UI not served: ${index} is missing (run npm run build:web)`);
      return;
    }
    const app = adapter.getInstance<express.Express>();
    app.use(
      express.static(root, {
        index: 'index.html',
        // Asset names carry a content hash; index.html must be re-read after every deployment.
        setHeaders: (res, path) => res.setHeader('Cache-Control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
      }),
    );
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_WEB_PATHS.test(req.path) || FILE_PATH.test(req.path)) {
        return next();
      }
      res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } }, (err) => err && next(err));
    });
  }
}
