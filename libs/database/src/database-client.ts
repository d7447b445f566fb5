import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import type { EntityManager } from 'typeorm';
import { contextTenantId } from './tenant-context';

/** pg's own message when a statement got no answer within query_timeout. */
export const QUERY_READ_TIMEOUT = 'Query read timeout';

/** What the pool passes to each DatabaseClient beyond pg's own settings. */
export interface DatabaseClientConfig extends ClientConfig {
  /** statement_timeout (ms) that allowLongStatements sets for the rest of a transaction. */
  longStatementTimeoutMs?: number;
  /** Added to a statement timeout for the client-side wait (the server's cancel should come first). */
  readTimeoutMarginMs?: number;
  /** Send the frequent parameterised statements as named prepared statements (DB_PREPARED_STATEMENTS). */
  preparedStatements?: boolean;
  /**
   * The tenant of a statement sent outside any tenant context (TENANCY=single: the installation's
   * only one, 1); null: none, so such a statement sees no tenant's rows.
   */
  fallbackTenantId?: number | null;
}

/** Sets the connection's tenant for the session (not SET LOCAL: it must hold outside transactions too). */
const SET_TENANT = `SELECT set_config('hyoka.tenant_id', $1, false)`;

/** A parameterised statement sent this often becomes a named prepared statement. */
const PREPARE_AFTER = 3;
/** At most this many statements are prepared (per process, so per connection too): the server keeps each one's plan per connection. */
const PREPARED_MAX = 300;
/** Statements longer than this stay unnamed (bulk inserts with generated text are not worth a plan kept per connection). */
const PREPARED_TEXT_MAX = 20_000;
/**
 * A `*` of a table in the select list: its result shape follows the table, and a prepared
 * statement whose shape changed under it (a column added by a migration while an older process
 * runs) fails ("cached plan must not change result type"). Such texts stay unnamed; `r.*` of a
 * derived table `(SELECT a, b …) r` names its columns itself and is prepared.
 */
const STAR_SELECT = /\bSELECT\s+(DISTINCT\s+)?\*/i;
const ALIAS_STAR = /(\w+)\.\*/g;

/** Whether the text selects `*` of a table: `x.*` of a derived table (`(SELECT …) x`, its own list named) is fine. */
function selectsTableStar(text: string): boolean {
  if (STAR_SELECT.test(text)) return true;
  for (const [, alias] of text.matchAll(ALIAS_STAR)) {
    if (!new RegExp(`\\)\\s+(AS\\s+)?${alias}\\b`, 'i').test(text)) return true;
  }
  return false;
}
const preparedNames = new Map<string, string>();
const seenTimes = new Map<string, number>();

/**
 * The name a statement's text is prepared under, once it has been seen PREPARE_AFTER times; none
 * for rare or generated texts. One name per text in the whole process, so a connection never
 * meets one name with two texts.
 */
export function preparedNameOf(text: string): string | undefined {
  const known = preparedNames.get(text);
  if (known || preparedNames.size >= PREPARED_MAX || text.length > PREPARED_TEXT_MAX || selectsTableStar(text)) return known;
  const times = (seenTimes.get(text) ?? 0) + 1;
  if (times < PREPARE_AFTER) {
    // Texts seen once or twice (generated lists, one-off reports) must not pile up here.
    if (seenTimes.size >= 10_000) seenTimes.clear();
    seenTimes.set(text, times);
    return undefined;
  }
  seenTimes.delete(text);
  const name = `hyoka_${preparedNames.size + 1}`;
  preparedNames.set(text, name);
  return name;
}

const logger = new Logger('database');

/**
 * The pg Client of every pooled connection (the pool's `Client` option), for the api, the
 * worker, the seed and the migrations alike.
 *
 * - It listens for 'error' from the moment it exists. pg-pool removes its own listener when it
 *   hands a client out and TypeORM adds one a few microtasks later; a backend terminated in
 *   that gap (pg_terminate_backend, a failover: the ErrorResponse often arrives in the same
 *   TCP read as the ReadyForQuery that freed the client) was emitted with no listener, an
 *   unhandled 'error' event that ended the process.
 * - A statement that got no answer within query_timeout (the server or the network is gone,
 *   and TCP alone would wait for minutes) closes its connection: pg only fails the caller and
 *   would keep the connection, waiting behind an answer that may never come, and hand it out
 *   again. Closed, the pool replaces it with a fresh one once the database answers again.
 */
export class DatabaseClient extends Client {
  private readonly longStatementTimeoutMs: number | undefined;
  private readonly readTimeoutMarginMs: number;
  private readonly preparedStatements: boolean;
  private readonly fallbackTenantId: number | null;
  /** What this connection's hyoka.tenant_id holds ('' none); undefined: unknown, set it again. */
  private tenantSetting: string | undefined;
  /** The tenant's set_config in flight: statements issued meanwhile are sent once it has answered. */
  private tenantGate: Promise<void> | null = null;
  /** Client-side wait while a transaction runs under allowLongStatements; cleared by its end. */
  private longReadTimeoutMs: number | undefined;

  constructor(config: DatabaseClientConfig = {}) {
    super(config);
    this.longStatementTimeoutMs = config.longStatementTimeoutMs;
    this.readTimeoutMarginMs = config.readTimeoutMarginMs ?? 0;
    this.preparedStatements = config.preparedStatements ?? false;
    this.fallbackTenantId = config.fallbackTenantId ?? null;
    this.on('error', (error: Error) => logger.warn(`connection lost: ${error.message}`));
  }

  /** Inside a transaction: lets its statements run, and it idle, up to the long statement timeout. */
  async allowLongStatements(): Promise<void> {
    if (!this.longStatementTimeoutMs) return;
    this.longReadTimeoutMs = this.longStatementTimeoutMs + this.readTimeoutMarginMs;
    const ms = Math.floor(this.longStatementTimeoutMs);
    await super.query(`SET LOCAL statement_timeout = ${ms}; SET LOCAL idle_in_transaction_session_timeout = ${ms}`);
  }

  // pg's query() has a dozen overloads (text, config object, submittable; promise or callback);
  // this passes every form through unchanged and only watches how it ends.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match every overload of pg's query()
  override query(...args: any[]): any {
    const [config] = args;
    const text: unknown = typeof config === 'string' ? config : config?.text;
    const ending = typeof text === 'string' && /^\s*(COMMIT|ROLLBACK)\b/i.test(text);
    if (!ending) this.useContextTenant();
    else if (/^\s*ROLLBACK\b/i.test(text as string)) this.tenantSetting = undefined;
    if (ending) this.longReadTimeoutMs = undefined;
    else if (this.longReadTimeoutMs && typeof config === 'string') args[0] = { text: config, query_timeout: this.longReadTimeoutMs };
    else if (this.preparedStatements && typeof config === 'string' && Array.isArray(args[1]) && args[1].length > 0) {
      // Parsed and planned once per connection instead of at every request: most of what
      // PostgreSQL spends on the short statements of a request is their planning.
      const name = preparedNameOf(config);
      if (name) args[0] = { name, text: config };
    }
    const callback = args.length > 1 && typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as (...a: unknown[]) => void) : null;
    if (callback) {
      args[args.length - 1] = (error: Error | null, ...rest: unknown[]) => {
        if (error) this.abandonAfterReadTimeout(error);
        callback(error, ...rest);
      };
    }
    const send = () => {
      const result = (Client.prototype.query as (...a: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) result.catch((error: Error) => this.abandonAfterReadTimeout(error));
      return result;
    };
    const gate = this.tenantGate;
    if (!gate || typeof config?.submit === 'function') return send();
    // Sent once the tenant is set, not queued behind it: pg 8 warns of a query() while one is
    // running and pg 9 refuses it. Every statement arriving meanwhile waits on the same gate, so
    // the order they were issued in is the order they run in.
    if (callback) {
      void gate.then(send);
      return undefined;
    }
    return gate.then(send);
  }

  /**
   * Before a statement: the connection takes the tenant of the context that sends it, whenever it
   * differs from the one it holds, so a pooled connection never runs a statement under the tenant
   * of whoever used it before. It costs a round trip only when the tenant changes. A rolled-back
   * transaction may have undone a setting made in it: the next statement sets it again.
   */
  private useContextTenant(): void {
    const tenant = contextTenantId();
    const wanted = tenant === undefined ? this.fallbackTenantId : tenant;
    const setting = wanted === null ? '' : String(wanted);
    if (setting === this.tenantSetting) return;
    this.tenantSetting = setting;
    const set = () => (Client.prototype.query as (...a: unknown[]) => Promise<unknown>).call(this, SET_TENANT, [setting]);
    const gate: Promise<void> = (this.tenantGate ?? Promise.resolve())
      .then(set)
      .then(
        () => undefined,
        () => {
          // The statement behind it fails the same way (a lost connection, an aborted transaction).
          this.tenantSetting = undefined;
        },
      )
      .finally(() => {
        if (this.tenantGate === gate) this.tenantGate = null;
      });
    this.tenantGate = gate;
  }

  private abandonAfterReadTimeout(error: Error): void {
    if ((error as { code?: string })?.code === '0A000' && /cached plan/.test(error.message)) {
      // A prepared statement this connection can no longer run (the table changed under it):
      // a fresh connection prepares it again.
      logger.warn(`prepared statement outdated by a schema change: closing the connection (${error.message})`);
      (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      return;
    }
    if (error?.message !== QUERY_READ_TIMEOUT) return;
    logger.warn('no answer from the database within the statement timeout: closing the connection');
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

/**
 * Lets the statements of the transaction `em` runs take up to DB_LONG_STATEMENT_TIMEOUT_MS, and
 * the transaction sit idle as long (SET LOCAL: back to DB_STATEMENT_TIMEOUT_MS and
 * DB_IDLE_IN_TRANSACTION_TIMEOUT_MS when it ends), for the few that may legitimately take long:
 * opening a cycle of tens of thousands of entries, an export read from a cursor while a slow
 * client downloads it.
 */
export async function allowLongStatements(em: EntityManager): Promise<void> {
  const client = (em.queryRunner as { databaseConnection?: unknown } | undefined)?.databaseConnection;
  if (client instanceof DatabaseClient) await client.allowLongStatements();
}
