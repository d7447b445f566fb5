import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Matches, Min, MinLength, ValidateBy, validateSync } from 'class-validator';

/** N of scrypt must be a power of two. */
const IsPowerOfTwo = () =>
  ValidateBy({
    name: 'isPowerOfTwo',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) > 1 && ((value as number) & ((value as number) - 1)) === 0,
      defaultMessage: () => '$property must be a power of two',
    },
  });

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

  /** Base URL used in mail deep links and printed by the start command. */
  @IsString()
  PUBLIC_URL = 'http://localhost:3000';

  @IsString() DB_HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() DB_PORT = 5432;
  @IsString() DB_USER = 'postgres';
  @IsString() @IsOptional() DB_PASSWORD?: string;
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

  @IsString() REDIS_HOST = '127.0.0.1';
  @Type(() => Number) @IsInt() REDIS_PORT = 6379;
  @IsString() @IsOptional() REDIS_PASSWORD?: string;
  /** BullMQ key prefix; lets several installations (or test suites) share one Redis. */
  @IsString() QUEUE_PREFIX = 'hyoka';

  @IsString()
  @MinLength(16)
  JWT_SECRET = 'dev-only-secret-change-me-please';
  @IsString() JWT_EXPIRES_IN = '8h';
  /**
   * No longer read: passwords are hashed with scrypt (PASSWORD_SCRYPT_*); existing bcrypt
   * hashes carry their own cost. Kept (validated, ignored) while deployment files still set it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS = 10;

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

  /** Local hour (Asia/Tokyo) at which reminder digests are sent. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(23)
  REMINDER_HOUR = 9;

  /** How often the reminder relay moves due outbox rows to the queue. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REMINDER_RELAY_EVERY_SECONDS = 60;

  /** How often the sweeper re-enqueues reminder mails whose job vanished or whose sender died. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REMINDER_SWEEP_EVERY_SECONDS = 300;

  /** A mail claimed for sending longer ago than this is taken to belong to a dead worker. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REMINDER_SEND_LEASE_SECONDS = 600;

  /** Reminder jobs one worker process runs at once; each sends its mails one after the other, so this is the mails in flight (the pooled SMTP transporter has 5 connections). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  REMINDER_SEND_CONCURRENCY = 5;

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
   * How often each worker re-asserts the recurring job schedulers. upsertJobScheduler never
   * duplicates them; re-asserting restores them after Redis lost its data without a restart.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  SCHEDULER_REFRESH_SECONDS = 60;

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

  /** Directory of the built web UI served by the api; empty disables it. */
  @IsString() @IsOptional() WEB_DIST?: string;
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
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (config.NODE_ENV === 'production' && config.JWT_SECRET.startsWith('dev-only')) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET: must be set in production');
  }
  return config;
}

/** The one place that reads the process environment. */
export function loadConfigFromProcess(): AppConfig {
  return loadConfig(process.env);
}
