import { BadRequestException, INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '@app/config';
import { DomainErrorFilter, errorBody, ErrorBodyDto, InputSanityPipe, sendErrorBody, validationMessages } from '@app/common';
import { TenantsService } from '@app/database';
import { REPORT_STYLE_HASHES } from '@app/reports';
import { accessLog } from './access-log';
import { tenantScope } from './tenant-scope';
import { GracefulShutdown } from './graceful-shutdown';

/**
 * Everything main.ts applies to the app, shared with the end-to-end tests so they
 * exercise the same pipes, filters and headers as production. Returns the drain on shutdown,
 * which main.ts binds to SIGTERM (tests close the app themselves).
 */
export function configureApp(app: INestApplication): GracefulShutdown {
  const config = app.get(AppConfig);
  const shutdown = new GracefulShutdown();
  app.use(shutdown.middleware);
  app.use(accessLog());
  // A fresh nonce per answer: the printed reports carry their stylesheet in the page (they are
  // saved and printed as one file), allowed by this nonce rather than by 'unsafe-inline'.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        // Helmet's defaults (scripts only from this origin, no plugins, no framing by others),
        // without upgrade-insecure-requests (intranet installations often serve plain HTTP) and
        // without 'unsafe-inline' styles: a style attribute injected into a page does nothing.
        directives: {
          upgradeInsecureRequests: null,
          styleSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`, ...REPORT_STYLE_HASHES],
        },
      },
    }),
  );
  // Swagger UI's page carries its own inline styles; the API document alone may use them.
  app.use('/api/docs', (_req: Request, res: Response, next: NextFunction) => {
    const csp = res.getHeader('Content-Security-Policy');
    if (typeof csp === 'string') res.setHeader('Content-Security-Policy', csp.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'"));
    next();
  });
  // What the api answers is a person's view of internal reports: no browser or proxy keeps it.
  // Public pages (/public) and the UI's static files keep their own caching.
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const trustProxy = trustProxySetting(config.TRUST_PROXY);
  if (trustProxy !== undefined) (app as NestExpressApplication).set('trust proxy', trustProxy);
  useBodyParsers(app as NestExpressApplication, config.REQUEST_BODY_LIMIT_KB);
  app.use(tenantScope(app.get(TenantsService)));
  setApiPrefix(app);
  app.useGlobalPipes(
    new InputSanityPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      // Japanese, each naming its field, in the shape of the other errors (message, field, errors).
      exceptionFactory: (errors) => {
        const messages = validationMessages(errors);
        const message = messages.map((m) => m.message).join(' / ') || '入力内容が正しくありません';
        return new BadRequestException(errorBody(400, 'bad_request', message, { field: messages[0]?.field, errors: messages }));
      },
    }),
  );
  app.useGlobalFilters(new DomainErrorFilter());
  if ((config.API_DOCS ?? (config.NODE_ENV === 'production' ? 'off' : 'public')) === 'off') return shutdown;
  SwaggerModule.setup('api/docs', app, apiDocument(app));
  return shutdown;
}

/** Every route under /api but health and the public pages; the OpenAPI document reads it too. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix('api', { exclude: ['health', 'public', 'public/{*path}'] });
}

/**
 * The OpenAPI document: served at /api/docs, and written to openapi.json by `npm run openapi`
 * (the web's types are generated from that file, so the two cannot drift apart).
 */
export function apiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('評価サイクル API')
      .setDescription('Periodic evaluation cycles: organisation, plan items, cycles, entries, approvals, reminders, reports')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addGlobalResponse({ status: 'default', description: 'an error, in the one error shape', type: ErrorBodyDto })
      .build(),
  );
  // An error carries the details of its kind beside the fixed keys (the resource and id of a 404,
  // the limit of a 429): ErrorBody's index signature, which a decorated class cannot state.
  const errorSchema = document.components?.schemas?.[ErrorBodyDto.name];
  if (errorSchema && !('$ref' in errorSchema)) errorSchema.additionalProperties = true;
  return document;
}

/** TRUST_PROXY as express takes it: a hop count, or the trusted addresses; undefined when empty. */
export function trustProxySetting(value: string): number | string[] | undefined {
  const text = value.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * The JSON and form parsers with our size limit (Nest would otherwise add them at init with
 * express's 100 kB), followed by an error handler: the parsers fail before any Nest filter
 * runs, and express would answer with an HTML page. Here they get the api's JSON shape.
 */
function useBodyParsers(app: NestExpressApplication, limitKb: number): void {
  // `verify` is left out of Nest's option type (Nest uses it for rawBody, which this app does not enable).
  app.useBodyParser('json', { limit: `${limitKb}kb`, verify: refuseDeepJson } as never);
  app.useBodyParser('urlencoded', { limit: `${limitKb}kb`, extended: true });
  app.use((error: BodyParserError, _req: Request, res: Response, next: NextFunction) => {
    const status = error?.status ?? error?.statusCode;
    if (!status || status < 400 || status >= 500 || res.headersSent) return next(error);
    sendErrorBody(res, errorBody(status, error.type ?? 'bad_request', bodyErrorMessage(error, limitKb)));
  });
}

/** Deeper than any DTO: a body nested further would exhaust the stack of class-transformer (a 500). */
export const MAX_JSON_DEPTH = 32;

/** body-parser `verify` hook: scans the raw bytes (outside strings) before JSON.parse sees them. */
function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw Object.assign(new Error('JSON nested too deeply'), { status: 400, type: 'entity.too.deep' });
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

interface BodyParserError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
}

function bodyErrorMessage(error: BodyParserError, limitKb: number): string {
  switch (error.type) {
    case 'entity.too.large':
      return `リクエストの本文が大きすぎます（上限 ${limitKb >= 1024 ? `${limitKb / 1024}MB` : `${limitKb}KB`}）`;
    case 'entity.too.deep':
      return `リクエストの本文の入れ子が深すぎます（上限 ${MAX_JSON_DEPTH} 段）`;
    case 'entity.parse.failed':
      return 'リクエストの本文が正しい JSON ではありません';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'リクエストの文字コードに対応していません（UTF-8 で送信してください）';
    case 'request.aborted':
    case 'request.size.invalid':
      return 'リクエストの本文を最後まで受信できませんでした';
    default:
      return 'リクエストの本文を読み取れませんでした';
  }
}
