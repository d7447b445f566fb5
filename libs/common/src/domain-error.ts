/**
 * Errors raised by domain and service code. They never carry HTTP types because the
 * same code runs in the worker; the api maps them once (DomainErrorFilter).
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'bad_request' | 'locked' | 'unavailable';

/** The HTTP status of each kind: the filter answers with it, the bulk actions report it per item. */
export const DOMAIN_ERROR_STATUS: Record<DomainErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid: 422,
  /** An account locked after repeated failed sign-ins (423 Locked). */
  locked: 423,
  /** Too busy right now (sign-ins queued past their limit): retry after `retryAfterSeconds`. */
  unavailable: 503,
};

export interface DomainErrorDetails {
  /** The input field at fault, so clients can show the message beside it. */
  field?: string;
  [key: string]: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string | number): DomainError {
    return new DomainError('not_found', `${what} ${id} が見つかりません`, { resource: what, id });
  }

  static invalid(field: string, message: string, extra: Record<string, unknown> = {}): DomainError {
    return new DomainError('invalid', `${field}: ${message}`, { field, ...extra });
  }

  static conflict(message: string, extra: DomainErrorDetails = {}): DomainError {
    return new DomainError('conflict', message, extra);
  }

  static forbidden(message = 'この操作を行う権限がありません'): DomainError {
    return new DomainError('forbidden', message);
  }
}
