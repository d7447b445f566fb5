import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DOMAIN_ERROR_STATUS, DomainError } from './domain-error';
import { type ErrorBody, errorBody, fieldOfConstraint, httpExceptionBody, sendErrorBody } from './error-body';

const STATUS = DOMAIN_ERROR_STATUS;

/** PostgreSQL errors that are the client's fault, not ours. */
const PG_STATUS: Record<string, { status: number; message: string }> = {
  '23505': { status: HttpStatus.CONFLICT, message: '同じキーのデータが既に存在します' },
  '23503': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '参照先のデータが存在しません' },
  '23502': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '必須の値がありません' },
  '23514': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '値が制約に違反しています' },
  '22001': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '値が長すぎます' },
  '22003': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '数値が範囲外です' },
  '22P02': { status: HttpStatus.BAD_REQUEST, message: '値の形式が正しくありません' },
  '22021': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '使用できない文字が含まれています' },
  '22007': { status: HttpStatus.BAD_REQUEST, message: '日付の形式が正しくありません' },
  '22008': { status: HttpStatus.BAD_REQUEST, message: '日付が範囲外です' },
};

/** Transaction conflicts PostgreSQL resolves by aborting one side: the client may simply retry. */
const PG_RETRY = new Set(['40001', '40P01']);

/**
 * The database is unreachable or dropped our connection (admin shutdown, crash, failover,
 * too many connections, a statement cancelled by statement_timeout, a session ended by
 * idle_in_transaction_session_timeout: 25P03). The request did nothing (its transaction
 * rolled back with the connection), so it is a 503 the client can retry, not a 500.
 */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '57014', '25P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const NODE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
// pg's messages when the connection died or never came (a connect or read timeout: a partition).
const PG_CLIENT_GONE =
  /Connection terminated|terminating connection|not queryable|timeout exceeded when trying to connect|Connection ended|Query read timeout/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    // TypeORM releases a query runner when its connection reports an error; the rest of that
    // transaction (the next statement, the ROLLBACK) then fails with these instead of a pg error.
    if (current instanceof QueryRunnerAlreadyReleasedError || current instanceof QueryRunnerProviderAlreadyReleasedError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (PG_UNAVAILABLE.has(code) || NODE_UNAVAILABLE.has(code))) return true;
    if (PG_CLIENT_GONE.test(current.message)) return true;
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Maps every error to one JSON shape; a 500 is logged with an id the user can quote. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      const status = STATUS[error.kind];
      const retryAfter = error.details.retryAfterSeconds;
      if (typeof retryAfter === 'number' && (status === 503 || status === 423)) res.setHeader('Retry-After', String(retryAfter));
      sendErrorBody(res, errorBody(status, error.kind, error.message, error.details));
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      // Ours are built with errorBody already, Nest's own (404 of an unknown route, a pipe's 400)
      // are put in the same shape, and /health's 503 keeps terminus' report.
      const answer = httpExceptionBody(status, body);
      if ('statusCode' in answer) sendErrorBody(res, answer as ErrorBody);
      else res.status(status).json(answer);
      return;
    }
    if (error instanceof QueryFailedError) {
      const code = (error.driverError as { code?: string; column?: string; constraint?: string })?.code;
      const mapped = code ? PG_STATUS[code] : undefined;
      if (mapped) {
        const driver = error.driverError as { column?: string; constraint?: string; table?: string };
        // Columns are snake_case, request fields camelCase; a unique violation names its column by the constraint.
        const field = driver.column?.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) ?? fieldOfConstraint(driver.table, driver.constraint);
        const message = code === '23505' && field ? `${field}: 同じ値のデータが既に存在します` : mapped.message;
        sendErrorBody(res, errorBody(mapped.status, 'database', message, { field, constraint: driver.constraint }));
        return;
      }
    }
    if (error instanceof QueryFailedError && PG_RETRY.has((error.driverError as { code?: string })?.code ?? '')) {
      sendErrorBody(res, errorBody(HttpStatus.CONFLICT, 'conflict', '他の操作と競合したため処理できませんでした。もう一度お試しください'));
      return;
    }
    if (isDatabaseUnavailable(error)) {
      const errorId = randomUUID();
      this.logger.warn(`database unavailable ${errorId}: ${error instanceof Error ? error.message : String(error)}`);
      res.setHeader('Retry-After', '5');
      // Not 'nothing was saved': a connection lost during COMMIT leaves that unknown to us.
      const message = 'データベースとの接続が切れたため処理を完了できませんでした。しばらくしてから最新の状態を確認し、再度お試しください';
      sendErrorBody(res, errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'unavailable', message, { errorId }));
      return;
    }
    const errorId = randomUUID();
    this.logger.error(`error ${errorId}: ${error instanceof Error ? error.stack : String(error)}`);
    sendErrorBody(res, errorBody(500, 'internal', 'サーバー内部エラーが発生しました', { errorId }));
  }
}
