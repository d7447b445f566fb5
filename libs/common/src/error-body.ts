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

/** A unique constraint's column, from PostgreSQL's default name `<table>_<column>_key`, in the API's camelCase. */
export function fieldOfConstraint(table: string | undefined, constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  const m = /^(.+)_key$/.exec(constraint);
  if (!m) return undefined;
  const column = table && m[1].startsWith(`${table}_`) ? m[1].slice(table.length + 1) : m[1];
  return column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}
