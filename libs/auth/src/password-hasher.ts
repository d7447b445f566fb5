import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/common';
import { hashPassword, ScryptParams, verifyPassword, Verified } from './password-hash';

/** The scrypt parameters new hashes get, from the configuration. */
export const scryptParams = (config: AppConfig): ScryptParams => ({ N: config.PASSWORD_SCRYPT_N, r: config.PASSWORD_SCRYPT_R, p: config.PASSWORD_SCRYPT_P });

/**
 * Hashing and checking passwords with at most PASSWORD_HASH_CONCURRENCY scrypt runs at once.
 * scrypt runs on libuv's thread pool (four threads), which it shares with file and DNS work;
 * unlimited, a burst of sign-ins would fill the pool and every core while the event loop, which
 * answers every other request, waits for CPU. Waiting sign-ins queue here; past
 * MAX_WAITING the api answers 503 rather than let the queue grow without end.
 */
@Injectable()
export class PasswordHasher {
  static readonly MAX_WAITING = 200;
  private readonly params: ScryptParams;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummy: Promise<string> | undefined;

  constructor(private readonly config: AppConfig) {
    this.params = scryptParams(config);
  }

  hash(password: string): Promise<string> {
    return this.limited(() => hashPassword(password, this.params));
  }

  verify(password: string, stored: string): Promise<Verified> {
    return this.limited(() => verifyPassword(password, stored, this.params));
  }

  /**
   * Checked against when the login is unknown, so the time taken does not tell which logins
   * exist: a hash of a random password with the current parameters, made once.
   */
  async verifyNobody(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(password, await this.dummy);
    return false;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.config.PASSWORD_HASH_CONCURRENCY) {
      if (this.waiting.length >= PasswordHasher.MAX_WAITING) {
        throw new DomainError('unavailable', 'ただいまログインが集中しています。しばらくしてから再度お試しください', { retryAfterSeconds: 5 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter (running stays the same), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
