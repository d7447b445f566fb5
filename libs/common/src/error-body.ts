import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

/**
 * The one shape of every error the api answers, whoever raises it (domain errors, validation,
 * the rate limit, body parsing, the database): clients read `message` to show it and `field`
 * (with `errors` for several) to put it beside the input.
 */
export interface ErrorBody {
  statusCode: number;
  /** A machine-readable kind: invalid, not_found, conflict, bad_request, too_many_requests, … */
  error: string;
  /** Japanese, for the user. */
  message: string;
  field?: string;
  errors?: { field: string; message: string }[];
  /** Logged with the error: quoted by the user to find it in the log (5xx). */
  errorId?: string;
  [detail: string]: unknown;
}

export function errorBody(statusCode: number, error: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { statusCode, error, message, ...details };
}

/** The one place an error body is written to a response (the exception filters, the body parsers' handler). */
export function sendErrorBody(res: Response, body: ErrorBody): void {
  res.status(body.statusCode).json(body);
}

/** What the user reads when the framework itself refused a request (an unknown route, a pipe, multer). */
const FRAMEWORK_MESSAGES: Record<number, string> = {
  400: '入力内容が正しくありません',
  401: 'ログインしてください',
  403: 'この操作を行う権限がありません',
  404: '指定されたページまたはデータが見つかりません',
  405: 'この操作には対応していません',
  406: '要求された形式では応答できません',
  413: 'リクエストの本文が大きすぎます',
  415: '対応していない形式のデータです',
};

/**
 * The body of an HttpException in the one shape. Ours (errorBody) and bodies of another shape
 * (terminus' health report) pass as they are; Nest's own `{ statusCode, message, error }` gets
 * a machine-readable kind and a Japanese message, its English text kept as `detail`.
 */
export function httpExceptionBody(status: number, body: string | object): ErrorBody | object {
  if (typeof body === 'string') return errorBody(status, statusKind(status), FRAMEWORK_MESSAGES[status] ?? body, { detail: body });
  const record = body as Record<string, unknown>;
  const framework = 'statusCode' in record && (record.error === undefined || record.error === HttpStatusText(status));
  if (!framework) return body;
  const detail = Array.isArray(record.message) ? record.message.join(' / ') : String(record.message ?? '');
  return errorBody(status, statusKind(status), FRAMEWORK_MESSAGES[status] ?? (detail || 'リクエストを処理できませんでした'), detail ? { detail } : {});
}

/** not_found, payload_too_large, … from the status (Nest's enum names). */
function statusKind(status: number): string {
  return HttpStatus[status]?.toLowerCase() ?? 'error';
}

/** Nest's `error` text for a status ('Not Found', 'Payload Too Large'). */
function HttpStatusText(status: number): string {
  return (HttpStatus[status] ?? '')
    .toLowerCase()
    .split('_')
    .map((w) => (w === 'uri' ? 'URI' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

/** A unique constraint's column, from PostgreSQL's default name `<table>_<column>_key`, in the API's camelCase. */
export function fieldOfConstraint(table: string | undefined, constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  const m = /^(.+)_key$/.exec(constraint);
  if (!m) return undefined;
  const column = table && m[1].startsWith(`${table}_`) ? m[1].slice(table.length + 1) : m[1];
  return column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}
