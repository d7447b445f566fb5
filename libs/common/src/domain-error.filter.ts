import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, DomainErrorKind } from './domain-error';

const STATUS: Record<DomainErrorKind, number> = {
  bad_request: HttpStatus.BAD_REQUEST,
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  unauthorized: HttpStatus.UNAUTHORIZED,
};

/** PostgreSQL errors that are the client's fault, not ours. */
const PG_STATUS: Record<string, { status: number; message: string }> = {
  '23505': { status: HttpStatus.CONFLICT, message: '同じキーのデータが既に存在します' },
  '23503': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '参照先のデータが存在しません' },
  '23514': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '値が制約に違反しています' },
  '22001': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '値が長すぎます' },
  '22003': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '数値が範囲外です' },
  '22P02': { status: HttpStatus.BAD_REQUEST, message: '値の形式が正しくありません' },
  '22021': { status: HttpStatus.UNPROCESSABLE_ENTITY, message: '使用できない文字が含まれています' },
  '22007': { status: HttpStatus.BAD_REQUEST, message: '日付の形式が正しくありません' },
  '22008': { status: HttpStatus.BAD_REQUEST, message: '日付が範囲外です' },
};

/** Maps every error to one JSON shape; a 500 is logged with an id the user can quote. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      const status = STATUS[error.kind];
      res.status(status).json({ statusCode: status, error: error.kind, message: error.message, ...error.details });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      res.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
      return;
    }
    if (error instanceof QueryFailedError) {
      const code = (error.driverError as { code?: string; column?: string; constraint?: string })?.code;
      const mapped = code ? PG_STATUS[code] : undefined;
      if (mapped) {
        const driver = error.driverError as { column?: string; constraint?: string };
        res.status(mapped.status).json({
          statusCode: mapped.status,
          error: 'database',
          message: mapped.message,
          field: driver.column,
          constraint: driver.constraint,
        });
        return;
      }
    }
    const errorId = randomUUID();
    this.logger.error(`error ${errorId}: ${error instanceof Error ? error.stack : String(error)}`);
    res.status(500).json({ statusCode: 500, message: 'サーバー内部エラーが発生しました', errorId });
  }
}
