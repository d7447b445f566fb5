import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Matches, Min, MinLength, ValidateBy, validateSync } from 'class-validator';
import { readFileSync, statSync } from 'node:fs';
import { ensureJwtSecretFile, jwtSecretProblem } from './jwt-secret';

/** The public development key: fine on a laptop, refused in production. */
export const DEV_JWT_SECRET = 'dev-only-secret-change-me-please';

/** N of scrypt must be a power of two. */
const IsPowerOfTwo = () =>
  ValidateBy({
    name: 'isPowerOfTwo',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) > 1 && ((value as number) & ((value as number) - 1)) === 0,
      defaultMessage: () => '$property must be a power of two',
    },
  });

/** 11 minus the remainder of the weighted sum (6,5,4,3,2) by 11, its last digit: the check digit of a 全国地方公共団体コード. */
export function municipalityCheckDigit(code5: string): number {
  const sum = [...code5].reduce((acc, d, i) => acc + Number(d) * (6 - i), 0);
  return (11 - (sum % 11)) % 10;
}

/** Six digits whose last is the check digit of the first five: a 全国地方公共団体コード. */
export function isMunicipalityCode(code: string): boolean {
  return /^\d{6}$/.test(code) && municipalityCheckDigit(code.slice(0, 5)) === Number(code[5]);
}

/** Empty, or six digits whose last is the check digit of the first five. */
const IsMunicipalityCode = () =>
  ValidateBy({
    name: 'isMunicipalityCode',
    validator: {
      validate: (value: unknown) => value === '' || (typeof value === 'string' && isMunicipalityCode(value)),
      defaultMessage: () => '$property must be the 6-digit 全国地方公共団体コード with its check digit (e.g. 112259), or empty',
    },
  });

/** 'host:port,host:port' (host a name, IPv4 or [IPv6]), or empty. */
const HOST_PORT_LIST = /^$|^(?:[0-9A-Za-z.-]+|\[[0-9A-Fa-f:]+\]):\d{1,5}(?:\s*,\s*(?:[0-9A-Za-z.-]+|\[[0-9A-Fa-f:]+\]):\d{1,5})*$/;

const toBool = ({ value }: { value: unknown }) => value === true || value === 'true' || value === '1' || value === 'yes';

/**
 * Every setting the system reads, validated once at boot.
 * Nothing else in the code base reads process.env: it receives an AppConfig.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  /**
   * The address the api listens on. 127.0.0.1 by default, so a machine that runs the demo
   * does not offer it (and its published demo passwords) to the network; a production
   * install behind a reverse proxy on the same host keeps it, a container sets 0.0.0.0.
   */
  @IsString()
  @Matches(/^[0-9A-Za-z.:-]+$/, { message: 'BIND_ADDRESS must be a host name or an IP address (127.0.0.1, 0.0.0.0, ::)' })
  BIND_ADDRESS = '127.0.0.1';

  /**
   * A demo installation (scripts/up.sh without --production): the UI shows 「デモ環境」 in its
   * header, from GET /api/system-info. It has published demo passwords, so it must be visibly one.
   */
  @Transform(toBool) @IsBoolean() DEMO_MODE = false;

  /** Base URL used in mail deep links and printed by the start command. */
  @IsString()
  PUBLIC_URL = 'http://localhost:3000';

  @IsString() DB_HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() DB_PORT = 5432;
  /**
   * The login the api, the worker and the seed use. It must not own the tables: it may read and
   * write the ordinary ones but only INSERT and SELECT audit_log, so it cannot rewrite history.
   * The migration creates this role (with DB_PASSWORD) if it is missing and grants it that.
   */
  @IsString() DB_USER = 'hyoka_app';
  @IsString() @IsOptional() DB_PASSWORD?: string;
  /** The login migrations run as: the owner of every table (the cluster's superuser locally). */
  @IsString() DB_MIGRATION_USER = 'postgres';
  @IsString() @IsOptional() DB_MIGRATION_PASSWORD?: string;
  @IsString() DB_NAME = 'hyoka';
  @Type(() => Number) @IsInt() @Min(1) DB_POOL_SIZE = 20;

  /** How long opening a database connection (or waiting for a free pooled one) may take before the request fails with 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DB_CONNECT_TIMEOUT_MS = 5000;

  /**
   * The server cancels a statement running longer (a 503). The client itself gives up 2 s later
   * when no answer comes at all (a network partition) and closes that connection. No request's
   * statement comes near it; the few that may run long (opening a cycle, the migrations) use
   * DB_LONG_STATEMENT_TIMEOUT_MS.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 15_000;

  /** The statement timeout of the work that may legitimately run long: opening a cycle of tens of thousands of entries, exports, migrations. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  DB_LONG_STATEMENT_TIMEOUT_MS = 300_000;

  /**
   * The server ends a session that stays idle inside a transaction this long (a stalled
   * process must not hold its row locks for ever). A report export holds its transaction
   * while a slow client downloads, and gets DB_LONG_STATEMENT_TIMEOUT_MS instead.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

  /** TCP keepalive on database connections: idle time before the first probe, so a vanished server is noticed on idle connections too. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  DB_KEEPALIVE_DELAY_MS = 10_000;

  /**
   * Frequent parameterised statements go as named prepared statements, parsed and planned once
   * per connection (at most 300 of them). Off behind a pooler in transaction mode that does not
   * track prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
   */
  @Transform(toBool) @IsBoolean() DB_PREPARED_STATEMENTS = true;

  /**
   * How Redis is reached: 'standalone' (REDIS_HOST:REDIS_PORT), 'sentinel' (the primary that
   * REDIS_SENTINELS name for REDIS_SENTINEL_NAME, followed across failovers) or 'cluster'
   * (REDIS_CLUSTER_NODES, any few nodes of a Redis Cluster; QUEUE_PREFIX must be a hash tag).
   */
  @IsIn(['standalone', 'sentinel', 'cluster'])
  REDIS_MODE: 'standalone' | 'sentinel' | 'cluster' = 'standalone';
  @IsString() REDIS_HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() REDIS_PORT = 6379;
  @IsString() @IsOptional() REDIS_PASSWORD?: string;
  /** Cluster mode: seed nodes, 'host:port' separated by commas (the rest of the cluster is discovered). */
  @IsString()
  @Matches(HOST_PORT_LIST, { message: 'REDIS_CLUSTER_NODES must be host:port pairs separated by commas (10.0.0.1:6379,10.0.0.2:6379)' })
  REDIS_CLUSTER_NODES = '';
  /** Sentinel mode: the sentinels, 'host:port' separated by commas. */
  @IsString()
  @Matches(HOST_PORT_LIST, { message: 'REDIS_SENTINELS must be host:port pairs separated by commas (10.0.0.1:26379,10.0.0.2:26379)' })
  REDIS_SENTINELS = '';
  /** Sentinel mode: the name the sentinels monitor the primary under. */
  @IsString() @Matches(/^[A-Za-z0-9._-]+$/, { message: 'REDIS_SENTINEL_NAME must be a sentinel master name' }) REDIS_SENTINEL_NAME = 'mymaster';
  /** Sentinel mode: the sentinels' own password (requirepass of sentinel.conf), when they have one. */
  @IsString() @IsOptional() REDIS_SENTINEL_PASSWORD?: string;
  /**
   * Prefix of every Redis key (queues, rate limits, sign-in flows); lets several installations
   * (or test suites) share one Redis. In cluster mode it must be a hash tag such as `{hyoka}`, so
   * that the keys of one queue (and the multi-key commands on them) share one slot.
   */
  @IsString() QUEUE_PREFIX = 'hyoka';

  /**
   * A queue with jobs due (waiting, or delayed past their time) while none of its jobs finished
   * for this long is stuck: GET /health answers 503 naming it, and each worker re-opens its Redis
   * connections. Longer than any job runs with others waiting behind it on the same queue.
   */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(86_400)
  QUEUE_STUCK_SECONDS = 600;

  /** How often each worker checks its queues for being stuck (per-process housekeeping). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  QUEUE_LIVENESS_EVERY_SECONDS = 30;

  /**
   * Token signing key. The default is public (it is in this file) and only for development and
   * tests; production refuses it, and any key that is short or guessable (jwt-secret.ts).
   * Unset in production: read from JWT_SECRET_FILE, which the installer writes.
   */
  @IsString()
  @MinLength(16)
  JWT_SECRET = DEV_JWT_SECRET;
  /**
   * A file holding the signing key, used when JWT_SECRET is not set: the production install
   * generates it (32 random bytes, base64, mode 0600) outside the repository, at
   * /etc/hyoka/jwt-secret when run as root, else ${XDG_CONFIG_HOME:-~/.config}/hyoka/jwt-secret.
   */
  @IsString() @IsOptional() JWT_SECRET_FILE?: string;
  @IsString() JWT_EXPIRES_IN = '8h';
  /**
   * scrypt cost of stored passwords: N (a power of two; memory 128·N·r bytes, 16 MiB at the
   * defaults), r and p. About 45 ms of one core per hash on the development machine, on
   * libuv's thread pool rather than the event loop. A stored hash carries its own parameters:
   * after a change, old ones still verify and are re-hashed at that user's next sign-in.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1_048_576)
  @IsPowerOfTwo()
  PASSWORD_SCRYPT_N = 16_384;
  @Type(() => Number) @IsInt() @Min(1) @Max(32) PASSWORD_SCRYPT_R = 8;
  @Type(() => Number) @IsInt() @Min(1) @Max(16) PASSWORD_SCRYPT_P = 1;

  /**
   * Password hashes computed at once per process (sign-ins queue for a slot): bounds the CPU
   * sign-ins take from the rest of the api, and their share of libuv's four-thread pool. One
   * per core left over for hashing.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  PASSWORD_HASH_CONCURRENCY = 1;

  @IsString() SMTP_HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() SMTP_PORT = 1025;
  @Transform(toBool) @IsBoolean() SMTP_SECURE = false;
  @IsString() @IsOptional() SMTP_USER?: string;
  @IsString() @IsOptional() SMTP_PASSWORD?: string;
  @IsString() MAIL_FROM = '評価サイクル <no-reply@hyoka.example.jp>';

  /** The planning division as every mail names it for questions (the mails are send-only). */
  @IsString() @MinLength(1) PLANNING_CONTACT_NAME = '企画担当';
  /** Its telephone (extension), printed in the mails' contact block when set. */
  @IsString() @Matches(/^[0-9０-９()（）\-－ 内線]*$/, { message: 'PLANNING_CONTACT_PHONE must be a telephone number' }) PLANNING_CONTACT_PHONE = '';
  /** Its mail address, printed in the mails' contact block when set. */
  @IsString() @Matches(/^$|^[^\s@]+@[^\s@]+$/, { message: 'PLANNING_CONTACT_EMAIL must be a mail address' }) PLANNING_CONTACT_EMAIL = '';

  /** Local hour (Asia/Tokyo) at which reminder digests are sent. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(23)
  REMINDER_HOUR = 9;

  /**
   * Business days an approver has at least from the day an entry reaches their step, when the
   * cycle's review deadline leaves less or has passed; their review reminders count from that.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  REVIEW_MIN_BUSINESS_DAYS = 5;

  /** How often the reminder relay moves due outbox rows to the queue. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REMINDER_RELAY_EVERY_SECONDS = 60;

  /**
   * How often the sweeper re-enqueues reminder mails whose job vanished or whose sender died.
   * With the lease below, a mail a killed worker had on the wire goes out again within
   * lease + sweep (45 s at the defaults); the mails it had not reached, once its BullMQ lock
   * lapses (30 s) and the next sweep runs.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REMINDER_SWEEP_EVERY_SECONDS = 15;

  /**
   * A mail claimed for sending whose claim was last renewed longer ago than this, and whose job
   * no live worker holds, is taken to belong to a dead worker. The sender renews the claim every
   * third of it while the mail is on the wire (so a slow SMTP server or a database blip does not
   * lose it the lease); short, so a stranded mail goes out again within a minute.
   */
  @Type(() => Number)
  @IsInt()
  @Min(3)
  REMINDER_SEND_LEASE_SECONDS = 30;

  /**
   * Reminder jobs one worker process runs at once; each sends its mails one after the other, so
   * this is the mails in flight. Twice the pooled SMTP transporter's 5 connections: while a job
   * is in the database (its mark-sent statement, its batch's compose queries) its connection
   * carries another job's mail instead of idling (the 09:00 peak bench, BENCHMARKS.md).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  REMINDER_SEND_CONCURRENCY = 10;

  /** First retry delay of a failed reminder send (exponential backoff from there). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  REMINDER_RETRY_DELAY_MS = 30_000;

  /** Send attempts per reminder mail before it is marked failed. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  REMINDER_MAX_ATTEMPTS = 6;

  /**
   * Tokyo time of day ('HH:MM' or 'HH:MM:SS') at which the worker opens the cycles of auto-open
   * templates. An opening due while no worker ran is made up when a worker starts.
   */
  @IsString()
  @Matches(/^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/, { message: 'CYCLE_OPEN_AT must be a time of day, HH:MM or HH:MM:SS (Asia/Tokyo)' })
  CYCLE_OPEN_AT = '05:00';

  /**
   * How often each worker re-asserts the recurring job schedulers. upsertJobScheduler never
   * duplicates them; re-asserting restores them after Redis lost its data without a restart.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  SCHEDULER_REFRESH_SECONDS = 60;

  /**
   * Approval requests (承認依頼) to one person gather this long before their one mail goes, so a
   * chief approving 50 entries at once sends the evaluator one mail, not 50.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  NOTICE_BATCH_SECONDS = 120;

  /** Login attempts allowed per minute per client IP and login name before 429 (counted in Redis, shared by all api instances). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  /** Failed sign-ins (or wrong current passwords) in a row that lock an account, counted per account in Redis. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ACCOUNT_LOCKOUT_ATTEMPTS = 10;

  /** How long a locked account stays locked, unless an administrator unlocks it first. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ACCOUNT_LOCKOUT_SECONDS = 900;

  /** Largest JSON or form request body the api parses; a larger one gets 413. File uploads have their own limit. */
  @Type(() => Number)
  @IsInt()
  @Min(16)
  REQUEST_BODY_LIMIT_KB = 1024;

  /**
   * Express's 'trust proxy' behind a reverse proxy: a hop count ('1'), 'loopback', or addresses
   * and subnets ('10.0.0.0/8,127.0.0.1'). Empty: no proxy is trusted, and X-Forwarded-For is
   * ignored, so a client cannot pick its own address for the login rate limit.
   */
  @IsString()
  @Matches(/^$|^\d{1,2}$|^[0-9A-Za-z.:/,\s]+$/, { message: 'TRUST_PROXY must be empty, a hop count, or a comma-separated list of addresses/subnets' })
  TRUST_PROXY = '';

  /** Data rows an item import (CSV/XLSX) may have; one more is refused with 422 before the rest is read. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  IMPORT_MAX_ROWS = 10_000;

  /** Columns an import's header may span (to its last non-blank cell); cells right of the header are never read into memory. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16_384)
  IMPORT_MAX_COLUMNS = 500;

  /** Cells an import may build (kept rows × header width, or the cells a row has, whichever is more); bounds its memory. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50_000_000)
  IMPORT_MAX_CELLS = 1_000_000;
  /**
   * Single sign-on by OpenID Connect: the identity provider's issuer URL (its discovery document
   * is read from <issuer>/.well-known/openid-configuration). SSO is on when OIDC_ISSUER and
   * OIDC_CLIENT_ID are both set, off when neither is; password sign-in stays available either way.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OIDC_ISSUER?: string;

  /** This application's client id at the identity provider. */
  @IsString() @IsOptional() OIDC_CLIENT_ID?: string;

  /** The client secret (client_secret_post); unset for a public client, which PKCE alone protects. */
  @IsString() @IsOptional() OIDC_CLIENT_SECRET?: string;

  /** The redirect URL registered at the identity provider. Unset: PUBLIC_URL + /api/auth/oidc/callback. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OIDC_REDIRECT_URL?: string;

  /**
   * The ID-token claim that names the organisation user: `email` is matched against users.email
   * (case-insensitive, and refused when the provider says it is unverified), any other claim
   * (preferred_username, upn, sub...) against users.login. No match, or an inactive user: refused,
   * never a new account.
   */
  @IsString()
  @Matches(/^[A-Za-z0-9_:.-]+$/, { message: 'OIDC_USER_CLAIM must be a claim name' })
  OIDC_USER_CLAIM = 'preferred_username';

  /**
   * On SIGTERM the api stops accepting connections, finishes the requests in flight (their
   * answers say Connection: close) and closes idle keep-alive connections; whatever is still
   * open after this many seconds is cut, and the process exits. The worker stops taking jobs
   * and exits once its running jobs end, or after this long (a job cut short is picked up
   * again by another worker: every job is idempotent).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600)
  SHUTDOWN_GRACE_SECONDS = 10;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** 'json': one JSON object per line (for a log collector); 'text': Nest's coloured lines. */
  @IsIn(['text', 'json'])
  LOG_FORMAT: 'text' | 'json' = 'text';

  /**
   * The API document (Swagger UI at /api/docs, JSON at /api/docs-json): 'public' serves it,
   * 'off' does not. Unset: off in production (it maps every endpoint for an attacker), public
   * otherwise.
   */
  @IsOptional()
  @IsIn(['public', 'off'])
  API_DOCS?: 'public' | 'off';

  /** The municipality whose results the public site (/public) publishes: its name as citizens know it. */
  @IsString() @MinLength(1) MUNICIPALITY_NAME = 'デモ市';

  /**
   * 全国地方公共団体コード (6 digits: the JIS X 0402 code and its check digit, 112259 for 入間市)
   * written in every open data row, as the Digital Agency's recommended datasets require.
   * Unset, the column is left empty: set it for a real installation.
   */
  @IsString()
  @IsMunicipalityCode()
  MUNICIPALITY_CODE = '';

  /**
   * 'single' (a single-city installation, the default): the migration made this municipality
   * tenant 1 (from MUNICIPALITY_NAME/CODE, MAIL_FROM, PLANNING_CONTACT_*), and whatever runs
   * without a tenant of its own (a sign-in, the public site, the scheduler, the seed) runs as it.
   * 'multi': several municipalities in one database; nothing runs as a tenant it was not given
   * (a signed-in user's, a job's, the X-Tenant header's 地方公共団体コード), and a statement
   * without one sees no rows at all (row-level security, docs/tenancy.md).
   */
  @IsIn(['single', 'multi'])
  TENANCY: 'single' | 'multi' = 'single';

  /** The licence of the published data and pages (open data): its name and the address of its text. */
  @IsString() @MinLength(1) OPEN_DATA_LICENSE = 'クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)';
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OPEN_DATA_LICENSE_URL = 'https://creativecommons.org/licenses/by/4.0/deed.ja';

  /** Directory of the built web UI served by the api; empty disables it. */
  @IsString() @IsOptional() WEB_DIST?: string;

  /** The Chromium the api prints the record's PDF with (playwright-core drives it; no browser is downloaded). */
  @IsString()
  @MinLength(1)
  CHROMIUM_PATH = '/usr/bin/chromium';
}

export class ConfigError extends Error {}

/** Build and validate the configuration from an environment-like record. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig());
  const picked: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '' && (known.includes(key) || key.startsWith('DB_') || key.startsWith('SMTP_'))) {
      picked[key] = value;
    }
  }
  // JWT_SECRET, when given, wins: the file is the installer's default, the variable an override.
  const fromFile = Boolean(picked.JWT_SECRET_FILE && !picked.JWT_SECRET);
  if (fromFile) picked.JWT_SECRET = readSecretFile(picked.JWT_SECRET_FILE, picked.NODE_ENV === 'production');
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const weak = config.NODE_ENV === 'production' ? jwtSecretProblem(config.JWT_SECRET) : null;
  if (weak) {
    const where = fromFile ? `JWT_SECRET_FILE (${picked.JWT_SECRET_FILE})` : 'JWT_SECRET';
    throw new ConfigError(
      `Invalid configuration:\n  ${where}: ${weak}. Leave JWT_SECRET unset and run the installer (bash scripts/up.sh --production), or set a random key: openssl rand -base64 32`,
    );
  }
  if (config.NODE_ENV === 'production' && config.DB_USER === config.DB_MIGRATION_USER) {
    throw new ConfigError('Invalid configuration:\n  DB_USER: must differ from DB_MIGRATION_USER in production (the owner could rewrite the audit log)');
  }
  const redis = redisProblem(config);
  if (redis) throw new ConfigError(`Invalid configuration:\n  ${redis}`);
  const sso = ssoProblem(config);
  if (sso) throw new ConfigError(`Invalid configuration:\n  ${sso}`);
  return config;
}

/** Whether single sign-on is configured (OIDC_ISSUER and OIDC_CLIENT_ID). */
export function ssoEnabled(config: AppConfig): boolean {
  return Boolean(config.OIDC_ISSUER && config.OIDC_CLIENT_ID);
}

/** A BullMQ key prefix that is a Redis Cluster hash tag: `{...}` with something inside. */
export const HASH_TAGGED_PREFIX = /^[^{]*\{[^{}]+\}/;

/**
 * The mode's own settings are present. A cluster needs a hash-tagged prefix: BullMQ's scripts
 * touch several keys of a queue at once, which a cluster refuses (CROSSSLOT) unless they share
 * a slot. Standalone keeps 'hyoka' (the keys of existing installations stay where they are).
 */
function redisProblem(config: AppConfig): string | null {
  if (config.REDIS_MODE === 'cluster') {
    if (!config.REDIS_CLUSTER_NODES) return 'REDIS_CLUSTER_NODES: required when REDIS_MODE=cluster (クラスタのノードを host:port で指定してください)';
    if (!HASH_TAGGED_PREFIX.test(config.QUEUE_PREFIX)) {
      return `QUEUE_PREFIX: "${config.QUEUE_PREFIX}" is no hash tag; Redis Cluster needs one such as {hyoka} (REDIS_MODE=cluster ではキューの接頭辞を {hyoka} のようなハッシュタグにしてください)`;
    }
  }
  if (config.REDIS_MODE === 'sentinel' && !config.REDIS_SENTINELS) {
    return 'REDIS_SENTINELS: required when REDIS_MODE=sentinel (Sentinel を host:port で指定してください)';
  }
  return null;
}

function ssoProblem(config: AppConfig): string | null {
  if (Boolean(config.OIDC_ISSUER) !== Boolean(config.OIDC_CLIENT_ID)) return 'OIDC_ISSUER, OIDC_CLIENT_ID: set both for single sign-on, or neither';
  if (!ssoEnabled(config) || config.NODE_ENV !== 'production') return null;
  // Tokens from a provider reached over plain HTTP could be read or replaced on the way.
  if (!config.OIDC_ISSUER!.startsWith('https://')) return 'OIDC_ISSUER: must be https in production';
  return null;
}

/**
 * The key in a secret file, trimmed. In production the file must be readable by its owner only
 * (0600): a key others on the machine can read lets them sign in as anyone.
 */
function readSecretFile(path: string, production: boolean): string {
  let text: string;
  try {
    if (production && (statSync(path).mode & 0o077) !== 0) {
      throw new ConfigError(`Invalid configuration:\n  JWT_SECRET_FILE: ${path} is readable by other users; chmod 600 ${path}`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `Invalid configuration:\n  JWT_SECRET_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return text.trim();
}

/** The one place that reads the process environment. */
export function loadConfigFromProcess(): AppConfig {
  return loadConfig(process.env);
}

/**
 * For the installer only: when the key is to come from JWT_SECRET_FILE (JWT_SECRET unset) and
 * the file does not exist, writes a new random one (ensureJwtSecretFile). Null when no file is configured.
 */
export function installJwtSecretFromProcess(): { path: string; created: boolean } | null {
  const path = process.env.JWT_SECRET_FILE;
  if (!path || process.env.JWT_SECRET) return null;
  return { path, created: ensureJwtSecretFile(path) };
}
