import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The shortest signing key production accepts: HS256 wants at least its 256-bit output. */
export const JWT_SECRET_MIN_BYTES = 32;

/**
 * Keys anyone can read: the development default (in app-config.ts) and the placeholders of
 * .env.example and the docs. A key that is published signs administrator tokens for anyone.
 */
export const KNOWN_JWT_SECRETS: readonly string[] = [
  'dev-only-secret-change-me-please',
  'replace-with-the-output-of-openssl-rand-base64-32',
  'a-long-enough-secret-for-tests',
  'change-me',
  'changeme',
  'secret',
];

/**
 * Why `secret` may not sign tokens in production, or null. Besides the known keys: shorter than
 * 32 bytes, fewer than 10 different characters, a repeated pattern ('abcd' × 8), or less than
 * 128 bits by a per-character Shannon estimate. A random key (`openssl rand -base64 32`, or the
 * installer's) passes all of them by a wide margin; the estimate only catches what is plainly not one.
 */
export function jwtSecretProblem(secret: string): string | null {
  const lower = secret.trim().toLowerCase();
  if (KNOWN_JWT_SECRETS.includes(lower) || lower.startsWith('dev-only')) return 'is a published example key, not a secret';
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < JWT_SECRET_MIN_BYTES) return `must be at least ${JWT_SECRET_MIN_BYTES} bytes (it has ${bytes})`;
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < 10 || /^(.+?)\1+$/s.test(secret)) return 'has too little variety to be a random key';
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / chars.length) * Math.log2(n / chars.length);
  if (bitsPerChar * chars.length < 128) return 'has too little variety to be a random key';
  return null;
}

/**
 * Writes a new random signing key (32 bytes, base64) to `path` unless the file exists: mode
 * 0600, directory 0700, created exclusively so two installers racing keep one key. Answers
 * whether it wrote one. A key that exists is never replaced (that would sign everyone out).
 */
export function ensureJwtSecretFile(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(JWT_SECRET_MIN_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
