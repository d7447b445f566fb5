import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { createHash } from 'node:crypto';
import { AuditService } from '@app/audit';
import { AppConfig } from '@app/config';
import { DomainError, DomainEvent } from '@app/common';
import { contextTenantId, setScopeTenant, SINGLE_CITY_TENANT_ID } from '@app/database';
import type { AccountLockedEvent } from '@app/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { passwordProblem } from '@app/domain';
import type { Actor, Role } from '@app/domain';
import { PasswordHasher } from './password-hasher';
import { RateLimiter } from './rate-limiter';
import { SessionsService } from './sessions.service';
import type { SessionClient, SessionUserRow, TokenPayload } from './sessions.service';

/**
 * The lockout counter of an account, by its login (hashed: Redis holds no login names) and its
 * tenant: the same login in another municipality is another account. Tenant 1 (a single-city
 * installation's) keeps the key it had before tenants.
 */
export const lockoutKey = (login: string, tenant = contextTenantId()) =>
  `lockout:${typeof tenant === 'number' && tenant !== SINGLE_CITY_TENANT_ID ? `${tenant}:` : ''}${createHash('sha256').update(login.trim().toLowerCase()).digest('hex')}`;

@Injectable()
export class AuthService {
  private readonly logger = new Logger('auth');

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * The hash of a password a person chose or was given, after the policy (passwordProblem):
   * 422 naming `field` otherwise. Every password that is set goes through here.
   */
  hashPassword(password: string, field = 'password', login?: string | null): Promise<string> {
    const problem = passwordProblem(password, login);
    if (problem) throw DomainError.invalid(field, problem);
    return this.hasher.hash(password);
  }

  /**
   * Sign-in. ACCOUNT_LOCKOUT_ATTEMPTS failures in a row lock the account for
   * ACCOUNT_LOCKOUT_SECONDS (423, the same answer whether the login exists or not, so the lock
   * reveals nothing); a success clears the count. Counted in Redis, shared by every instance.
   */
  async login(login: string, password: string, client: SessionClient = {}): Promise<{ accessToken: string; actor: Actor }> {
    const key = lockoutKey(login);
    const locked = await this.limiter.failures(key);
    if (locked.count >= this.config.ACCOUNT_LOCKOUT_ATTEMPTS) throw this.lockedError(locked.resetSeconds);
    const [row] = await this.dataSource.query(`SELECT id, password_hash FROM users WHERE login = $1 AND active`, [login]);
    // An unknown login costs a hash too, so timing does not reveal which logins exist.
    const { ok, rehash } = row ? await this.hasher.verify(password, row.password_hash) : { ok: await this.hasher.verifyNobody(password), rehash: false };
    if (!row || !ok) {
      await this.countFailure(key, row?.id, 'ログイン');
      throw new DomainError('unauthorized', 'ログインIDまたはパスワードが正しくありません');
    }
    await this.limiter.clear(key);
    if (rehash) await this.upgradeHash(row.id, row.password_hash, password);
    const actor = await this.loadActor(row.id);
    const accessToken = await this.sessions.open(row.id, 'password', client);
    return { accessToken, actor };
  }

  /**
   * One more failure on the account's lockout count (sign-in and password change share it). The
   * failure that locks it is audited and queues a mail to its user (the mail outbox, sent by the
   * worker); later ones while it stays locked are audited only.
   */
  private async countFailure(key: string, userId: number | undefined, where: string): Promise<void> {
    const count = await this.limiter.fail(key, this.config.ACCOUNT_LOCKOUT_SECONDS * 1000);
    if (count < this.config.ACCOUNT_LOCKOUT_ATTEMPTS || userId === undefined) return;
    await this.dataSource.transaction(async (em) => {
      await this.audit.record(em, {
        actorUserId: userId,
        action: 'user.locked',
        subjectType: 'user',
        subjectId: userId,
        comment: `${count}回続けて${where}に失敗`,
      });
      if (count === this.config.ACCOUNT_LOCKOUT_ATTEMPTS) {
        // The user's mail goes into the outbox in this transaction (libs/reminders), sent by the worker.
        await this.events.emitAsync(DomainEvent.AccountLocked, {
          em,
          userId,
          failures: count,
          lockSeconds: this.config.ACCOUNT_LOCKOUT_SECONDS,
          at: new Date(),
        } satisfies AccountLockedEvent);
      }
    });
  }

  /**
   * A bcrypt hash (or one with older scrypt parameters) is replaced by a current one at a
   * successful sign-in, the only moment the password is known. Not a password change: tokens
   * stay valid and password_changed_at is untouched. Only if the row still holds the hash just
   * verified (a concurrent change wins); a failure here never fails the sign-in.
   */
  private async upgradeHash(userId: number, verified: string, password: string): Promise<void> {
    try {
      const hash = await this.hasher.hash(password);
      await this.dataSource.query(`UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2`, [userId, verified, hash]);
    } catch (error) {
      this.logger.warn(`password hash of user ${userId} not upgraded: ${(error as Error).message}`);
    }
  }

  /** An administrator ends a lock before it runs out (a password reset does too). */
  async unlock(login: string): Promise<void> {
    await this.limiter.clear(lockoutKey(login));
  }

  private lockedError(resetSeconds: number): DomainError {
    const minutes = Math.max(1, Math.ceil(resetSeconds / 60));
    return new DomainError(
      'locked',
      `ログインに続けて失敗したため、このアカウントは一時的にロックされています。約${minutes}分後に再度お試しいただくか、管理者にロックの解除を依頼してください`,
      { retryAfterSeconds: resetSeconds },
    );
  }

  async actorFromToken(token: string): Promise<Actor> {
    return (await this.sessionFromToken(token)).actor;
  }

  /**
   * The actor of a bearer token and whether they must change their password first, from one
   * round trip: the session's checks and the user's row together (SessionsService.liveUser).
   */
  async sessionFromToken(token: string): Promise<{ actor: Actor; passwordChangeRequired: boolean }> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch {
      throw new DomainError('unauthorized', 'ログインの有効期限が切れています。再度ログインしてください');
    }
    // The request runs as the token's tenant from here on; one that named another (X-Tenant) is refused.
    if (payload.tid !== undefined && !setScopeTenant(payload.tid)) throw new DomainError('unauthorized', 'ログインが必要です');
    // Ended (signed out, ended by its owner or an administrator) or expired: refused at once.
    const row = await this.sessions.liveUser(payload);
    return { actor: this.actorOf(row, payload.iat), passwordChangeRequired: Boolean(row?.password_change_required) };
  }

  /**
   * The user changes their own password, proving the current one. Every other session of the
   * user is ended; this one goes on with a fresh token (tokens issued before the change stop working).
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string, sessionId: string): Promise<{ accessToken: string }> {
    const [row] = await this.dataSource.query(`SELECT login, password_hash, password_change_required FROM users WHERE id = $1 AND active`, [actor.id]);
    // The same count as sign-in: a stolen token is no unlimited oracle for the password.
    const key = lockoutKey(row?.login ?? '');
    const locked = await this.limiter.failures(key);
    if (locked.count >= this.config.ACCOUNT_LOCKOUT_ATTEMPTS) throw this.lockedError(locked.resetSeconds);
    if (!row || !(await this.hasher.verify(currentPassword, row.password_hash)).ok) {
      await this.countFailure(key, row ? actor.id : undefined, 'パスワード変更');
      throw DomainError.invalid('currentPassword', '現在のパスワードが正しくありません');
    }
    await this.limiter.clear(key);
    if (newPassword === currentPassword) {
      throw DomainError.invalid('newPassword', '現在と異なるパスワードを入力してください');
    }
    const hash = await this.hashPassword(newPassword, 'newPassword');
    await this.dataSource.transaction(async (em) => {
      await em.query(`UPDATE users SET password_hash = $2, password_changed_at = now(), password_change_required = false, updated_at = now() WHERE id = $1`, [
        actor.id,
        hash,
      ]);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'user.password_change',
        subjectType: 'user',
        subjectId: actor.id,
        // A change the user was made to do: the password someone else knew is gone.
        ...(row.password_change_required ? { comment: '管理者が設定したパスワードを本人が変更（必須の変更）' } : {}),
      });
      await this.sessions.endAll(actor.id, 'password_changed', actor.id, { exceptSessionId: sessionId, em });
    });
    return { accessToken: await this.sessions.reissue(actor.id, sessionId) };
  }

  /** `issuedAt`: the token's iat; a token older than the last password change is refused. */
  async loadActor(userId: number, issuedAt?: number): Promise<Actor> {
    const [row] = await this.dataSource.query(
      // A department head (評価者) often has no section: their department is the one they head.
      `SELECT u.id, u.name, u.section_id, u.roles, floor(extract(epoch FROM u.password_changed_at))::bigint AS changed,
              COALESCE(s.department_id, (SELECT d.id FROM departments d WHERE d.head_user_id = u.id ORDER BY d.id LIMIT 1))
                AS department_id
         FROM users u LEFT JOIN sections s ON s.id = u.section_id
        WHERE u.id = $1 AND u.active`,
      [userId],
    );
    return this.actorOf(row ?? null, issuedAt);
  }

  private actorOf(row: Omit<SessionUserRow, 'password_change_required'> | null, issuedAt: number | undefined): Actor {
    if (!row) throw new DomainError('unauthorized', 'ユーザーが無効です');
    // Seconds on both sides: a token signed in the same second as the change still counts.
    if (issuedAt !== undefined && row.changed !== null && issuedAt < Number(row.changed)) {
      throw new DomainError('unauthorized', 'パスワードが変更されました。再度ログインしてください');
    }
    return {
      id: row.id,
      name: row.name,
      sectionId: row.section_id,
      departmentId: row.department_id,
      roles: row.roles as Role[],
    };
  }
}
