import { Pool } from 'pg';
import * as bcrypt from 'bcryptjs';
import { hashPassword } from '@app/auth';
import { AppConfig } from '@app/config';
import { BenchFigure } from './bench-result';
import { spawnBenchChild, stopChild } from './child';
import type { Harness } from './harness';
import { HttpClient } from './http-client';
import { fmt, percentile, sample } from './stats';

const LOGINS_PER_SECOND = 20;
const OTHER_PER_SECOND = 50;
const PHASE_SECONDS = 8;
const USERS = 20;
const PASSWORD = 'Bench-Passw0rd-2024';

interface Phase {
  other: number[];
  otherErrors: number;
  logins: number[];
  loginErrors: number;
}

/**
 * Sign-ins beside the rest of the api: GET /api/auth/me (token check and user lookup) paced at
 * 50 requests/s, with and without 20 sign-ins/s (POST /api/auth/login, scrypt at the default
 * cost, open loop: each sent on time whether or not the previous ones have answered), against
 * the compiled api in its own process. The figure is the p99 of the other requests while the
 * sign-ins run; the baseline the same requests alone, in the same run.
 */
export async function loginApiBench(h: Harness): Promise<BenchFigure> {
  const defaults = new AppConfig();
  const config = await h.database({
    DB_POOL_SIZE: '20',
    LOGIN_RATE_LIMIT: '1000000',
    ACCOUNT_LOCKOUT_ATTEMPTS: '1000000',
    // Production's cost, not the tests' lowest one.
    PASSWORD_SCRYPT_N: String(defaults.PASSWORD_SCRYPT_N),
    PASSWORD_SCRYPT_R: String(defaults.PASSWORD_SCRYPT_R),
    PASSWORD_SCRYPT_P: String(defaults.PASSWORD_SCRYPT_P),
  });
  const pool = new Pool({ host: config.DB_HOST, port: config.DB_PORT, user: config.DB_USER, password: config.DB_PASSWORD, database: config.DB_NAME, max: 2 });
  h.cleanup(() => pool.end());
  const params = { N: config.PASSWORD_SCRYPT_N, r: config.PASSWORD_SCRYPT_R, p: config.PASSWORD_SCRYPT_P };
  // Each user its own hash (its own salt), as in production: no cache can help.
  for (let i = 0; i < USERS; i++) {
    await pool.query(`INSERT INTO users (login, name, email, roles, password_hash) VALUES ($1, $1, $1 || '@bench.example.jp', '{staff}', $2)`, [
      `user${i}`,
      await hashPassword(PASSWORD, params),
    ]);
  }
  const main = await measure(h, config, h.runs);
  // The same with two hashes at once: faster sign-ins, at the other requests' expense.
  const two = await measure(h, { ...config, PASSWORD_HASH_CONCURRENCY: 2 }, 1);
  const bcryptMs = await timeBcryptjs();

  const p = (phases: Phase[], pick: (ph: Phase) => number[], q: number) => sample(phases.map((ph) => percentile(pick(ph), q)));
  const m = p(main.withLogins, (ph) => ph.other, 99);
  const b = p(main.alone, (ph) => ph.other, 99);
  const errors = [...main.alone, ...main.withLogins].reduce((s, ph) => s + ph.otherErrors + ph.loginErrors, 0);
  const med = (s: ReturnType<typeof sample>) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  return {
    title: `Other requests' p99 during ${LOGINS_PER_SECOND} sign-ins/s`,
    what:
      `p99 latency of GET /api/auth/me paced at ${OTHER_PER_SECOND}/s while POST /api/auth/login runs at ${LOGINS_PER_SECOND}/s ` +
      `(open loop, ${USERS} users with their own scrypt hashes at the default cost N=${params.N}, r=${params.r}, p=${params.p}, ` +
      `PASSWORD_HASH_CONCURRENCY=${config.PASSWORD_HASH_CONCURRENCY}), ${PHASE_SECONDS} s per run, the compiled api in its own process`,
    unit: 'ms',
    measured: m,
    baseline: b,
    baselineWhat: `the same GET /api/auth/me at ${OTHER_PER_SECOND}/s with no sign-ins, in the same run`,
    ratio: m.median / b.median,
    target: 'p99 ≤ 50 ms; every request 200',
    met: m.median <= 50 && errors === 0,
    notes: [
      `sign-in latency during the runs: p50 ${med(p(main.withLogins, (ph) => ph.logins, 50))} ms, p99 ${med(p(main.withLogins, (ph) => ph.logins, 99))} ms`,
      `other requests' p50: with sign-ins ${med(p(main.withLogins, (ph) => ph.other, 50))} ms, alone ${med(p(main.alone, (ph) => ph.other, 50))} ms`,
      `errors (non-200): ${errors}`,
      `with PASSWORD_HASH_CONCURRENCY=2 (one run): other requests' p99 ${fmt(percentile(two.withLogins[0].other, 99))} ms (alone ${fmt(percentile(two.alone[0].other, 99))} ms), ` +
        `sign-ins p50 ${fmt(percentile(two.withLogins[0].logins, 50))} ms, p99 ${fmt(percentile(two.withLogins[0].logins, 99))} ms`,
      `for comparison, what the api did before: one bcryptjs compare at cost 10 runs ${fmt(bcryptMs)} ms on the event loop (measured here, in this process), ` +
        `stalling every other request for that long; ${LOGINS_PER_SECOND} sign-ins/s would need ${fmt((LOGINS_PER_SECOND * bcryptMs) / 1000, 2)} s of event loop per second`,
    ],
  };
}

/** One api process with `config`: a warm-up, then `runs` × (the other requests alone, then with the sign-ins). */
async function measure(h: Harness, config: AppConfig, runs: number): Promise<{ alone: Phase[]; withLogins: Phase[] }> {
  const { child, match } = await spawnBenchChild('bench/api-child.js', config, /api-ready (\d+)/);
  h.cleanup(() => stopChild(child));
  // Two clients, as two groups of users: sign-ins waiting for the api must not hold the sockets
  // the other requests need (one agent would queue them behind the sign-ins on the client side).
  const client = new HttpClient(Number(match[1]), 64);
  const signIns = new HttpClient(Number(match[1]), 256);
  h.cleanup(() => client.close());
  h.cleanup(() => signIns.close());
  const token = await client.login('user0', PASSWORD);

  const other = async () => (await client.json('GET', '/api/auth/me', undefined, token)).status === 200;
  let n = 0;
  const login = async () => (await signIns.json('POST', '/api/auth/login', { login: `user${n++ % USERS}`, password: PASSWORD })).status === 200;

  // Warm-up: connections, JIT, the pool's sockets.
  await phase(other, login, 2, 2);
  const alone: Phase[] = [];
  const withLogins: Phase[] = [];
  for (let run = 0; run < runs; run++) {
    alone.push(await phase(other, null, PHASE_SECONDS));
    withLogins.push(await phase(other, login, PHASE_SECONDS));
  }
  await stopChild(child);
  return { alone, withLogins };
}

/** Sends `other` at OTHER_PER_SECOND and, if given, `login` at LOGINS_PER_SECOND for `seconds`, each on schedule. */
async function phase(other: () => Promise<boolean>, login: (() => Promise<boolean>) | null, seconds: number, scale = 1): Promise<Phase> {
  const result: Phase = { other: [], otherErrors: 0, logins: [], loginErrors: 0 };
  const paced = async (perSecond: number, call: () => Promise<boolean>, latencies: number[], onError: () => void) => {
    const count = Math.round((perSecond * seconds) / scale);
    const start = Date.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000 * scale) / perSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t0 = process.hrtime.bigint();
      pending.push(
        call()
          .catch(() => false)
          .then((ok) => {
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (!ok) onError();
          }),
      );
    }
    await Promise.all(pending);
  };
  await Promise.all([
    paced(OTHER_PER_SECOND, other, result.other, () => result.otherErrors++),
    login ? paced(LOGINS_PER_SECOND, login, result.logins, () => result.loginErrors++) : Promise.resolve(),
  ]);
  return result;
}

async function timeBcryptjs(): Promise<number> {
  const hash = await bcrypt.hash(PASSWORD, 10);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    await bcrypt.compare(PASSWORD, hash);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return sample(times).median;
}
