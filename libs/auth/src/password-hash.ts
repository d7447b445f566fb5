import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import * as bcrypt from 'bcryptjs';

/** scrypt's cost parameters: N (CPU and memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Parameters read back from a stored hash are believed only within these bounds (a corrupted row must not allocate gigabytes). */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** Memory scrypt needs for these parameters (128·N·r bytes), with room to spare: Node refuses above maxmem. */
const maxmem = ({ N, r, p }: ScryptParams) => 256 * N * r + 128 * r * p + 1024 * 1024;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_BYTES, { ...params, maxmem: maxmem(params) }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

const b64 = (buf: Buffer) => buf.toString('base64url');

/**
 * The stored form of a password: `scrypt$N$r$p$salt$hash` (salt and hash base64url), so a
 * hash says how it was made and stays verifiable after the parameters change. Node's
 * crypto.scrypt runs on libuv's thread pool, not on the event loop, so a sign-in no longer
 * stalls every other request the way bcryptjs (bcrypt in JavaScript) did. Passwords are
 * NFC-normalised first: the same password typed on two keyboards hashes alike.
 */
export async function hashPassword(password: string, params: ScryptParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${b64(salt)}$${b64(key)}`;
}

export interface Verified {
  ok: boolean;
  /** The password matched a hash of an old kind (bcrypt) or of lower cost than now: store a new one. */
  rehash: boolean;
}

/**
 * Checks a password against a stored hash: ours (scrypt), or a bcrypt hash ($2a$/$2b$/$2y$)
 * from before, still accepted so nobody has to reset a password; the caller upgrades it at
 * that sign-in. bcryptjs' compare is JavaScript on the event loop, acceptable only for this
 * one-time upgrade. Anything else never matches.
 */
export async function verifyPassword(password: string, stored: string, current: ScryptParams): Promise<Verified> {
  const parts = stored.split('$');
  if (parts[0] === 'scrypt' && parts.length === 6) {
    const [N, r, p] = parts.slice(1, 4).map(Number);
    if (!validParams({ N, r, p })) return { ok: false, rehash: false };
    const expected = Buffer.from(parts[5], 'base64url');
    if (expected.length !== KEY_BYTES) return { ok: false, rehash: false };
    const key = await scrypt(password, Buffer.from(parts[4], 'base64url'), { N, r, p });
    const ok = timingSafeEqual(key, expected);
    // Only upward: during a rolling deploy with two settings, hashes must not flip back and forth.
    return { ok, rehash: ok && (N < current.N || r < current.r || p < current.p) };
  }
  if (/^\$2[aby]\$\d\d\$/.test(stored)) {
    const ok = await bcrypt.compare(password, stored);
    return { ok, rehash: ok };
  }
  return { ok: false, rehash: false };
}

function validParams({ N, r, p }: ScryptParams): boolean {
  return (
    Number.isInteger(N) &&
    N >= 2 &&
    N <= MAX_N &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= MAX_R &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= MAX_P
  );
}
