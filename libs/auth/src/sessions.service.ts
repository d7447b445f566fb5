import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { TenantsService } from '@app/database';
import { DomainError } from '@app/common';
import { SESSION_EXPIRED_MESSAGE, sessionEndedMessage } from '@app/domain';
import type { SessionEndReason, SessionMethod } from '@app/domain';

/** What a token says: the user and the session it belongs to. */
export interface TokenPayload {
  sub: number;
  /** The session (sessions.id). Tokens from before server-side sessions have none and are refused. */
  sid?: string;
  /**
   * The tenant (municipality) of the user and the session: every request of the token runs as it.
   * Tokens from before tenants have none (a single-city installation's tenant then applies).
   */
  tid?: number;
  /** Seconds since the epoch, set by jsonwebtoken when signing. */
  iat?: number;
  exp?: number;
}

/** Where a sign-in comes from, kept with the session so its owner can recognise it. */
export interface SessionClient {
  userAgent?: string | null;
  address?: string | null;
}

export interface SessionView {
  id: string;
  method: SessionMethod;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  clientAddress: string | null;
  /** The session of the request that asked. */
  current: boolean;
}

/** The user of a live session, as AuthService makes the actor of it. */
export interface SessionUserRow {
  id: number;
  name: string;
  section_id: number | null;
  department_id: number | null;
  roles: string[];
  password_change_required: boolean;
  /** password_changed_at in whole seconds since the epoch (bigint as text), or null. */
  changed: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** last_seen_at is written at most this often per session: reading is per request, writing is not. */
const LAST_SEEN_EVERY_SECONDS = 60;
const USER_AGENT_MAX = 300;

/**
 * Server-side sessions: owns the table `sessions`. A token is accepted only while its session
 * is neither ended nor expired, so signing out, an administrator's 「セッションを終了」, a
 * password change or reset and a deactivation take effect on the very next request.
 *
 * No cache: the check is one primary-key SELECT per request, joined to the user the actor is
 * made of (see libs/auth/README.md for the measurement). A cache would have to be invalidated on every instance for an ended session to
 * stop at once; the database already is the one place every instance reads.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly tenants: TenantsService,
  ) {}

  /** Opens a session for a user who just proved who they are, and answers its token. Audited. */
  async open(userId: number, method: SessionMethod, client: SessionClient = {}): Promise<string> {
    const id = randomUUID();
    const token = await this.jwt.signAsync({ sub: userId, sid: id, ...this.tenantClaim() } satisfies TokenPayload);
    // The session lives as long as its token (JWT_EXPIRES_IN); the token's exp is the one clock.
    const { exp } = this.jwt.decode<TokenPayload>(token);
    const userAgent = client.userAgent?.slice(0, USER_AGENT_MAX) ?? null;
    const address = client.address ?? null;
    await this.dataSource.transaction(async (em) => {
      await em.query(`INSERT INTO sessions (id, user_id, method, expires_at, user_agent, client_address) VALUES ($1, $2, $3, to_timestamp($4), $5, $6)`, [
        id,
        userId,
        method,
        exp,
        userAgent,
        address,
      ]);
      await this.audit.record(em, {
        actorUserId: userId,
        action: 'session.start',
        subjectType: 'user',
        subjectId: userId,
        after: { sessionId: id, method, clientAddress: address, userAgent },
      });
    });
    return token;
  }

  /** A fresh token for a live session (after a password change the old one's iat is outdated). */
  reissue(userId: number, sessionId: string): Promise<string> {
    return this.jwt.signAsync({ sub: userId, sid: sessionId, ...this.tenantClaim() } satisfies TokenPayload);
  }

  /** The tenant the sign-in ran as (its user was found under it), for the token. */
  private tenantClaim(): { tid?: number } {
    const tid = this.tenants.current();
    return tid === null ? {} : { tid };
  }

  /**
   * 401 unless the token's session is live and the user's; answers the user's row as the actor
   * is made of (null for a deactivated user). On every authenticated request: one SELECT by
   * primary key of the session joined to its user (and, for a department head without a
   * section, their department), plus an UPDATE of last_seen_at at most once a minute per session.
   */
  async liveUser(payload: TokenPayload): Promise<SessionUserRow | null> {
    if (typeof payload.sid !== 'string' || !UUID.test(payload.sid)) throw new DomainError('unauthorized', SESSION_EXPIRED_MESSAGE);
    const [row] = await this.dataSource.query(
      // A department head (評価者) often has no section: their department is the one they head.
      `SELECT s.user_id, s.end_reason, s.expires_at <= now() AS expired, s.last_seen_at < now() - make_interval(secs => $2) AS stale,
              u.id, u.name, u.section_id, u.roles, u.password_change_required,
              floor(extract(epoch FROM u.password_changed_at))::bigint AS changed,
              COALESCE(us.department_id, (SELECT d.id FROM departments d WHERE d.head_user_id = u.id ORDER BY d.id LIMIT 1)) AS department_id
         FROM sessions s
         LEFT JOIN users u ON u.id = s.user_id AND u.active
         LEFT JOIN sections us ON us.id = u.section_id
        WHERE s.id = $1`,
      [payload.sid, LAST_SEEN_EVERY_SECONDS],
    );
    if (!row || row.user_id !== payload.sub) throw new DomainError('unauthorized', SESSION_EXPIRED_MESSAGE);
    if (row.end_reason) throw new DomainError('unauthorized', sessionEndedMessage(row.end_reason));
    if (row.expired) throw new DomainError('unauthorized', SESSION_EXPIRED_MESSAGE);
    if (row.stale) await this.dataSource.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1`, [payload.sid]);
    return row.id === null ? null : row;
  }

  /** The user's live sessions (not ended, not expired), newest first. */
  async listLive(userId: number, currentSessionId?: string): Promise<SessionView[]> {
    const rows: Omit<SessionView, 'current'>[] = await this.dataSource.query(
      `SELECT id, method, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt",
              user_agent AS "userAgent", client_address AS "clientAddress"
         FROM sessions WHERE user_id = $1 AND ended_at IS NULL AND expires_at > now()
        ORDER BY created_at DESC`,
      [userId],
    );
    return rows.map((r) => ({ ...r, current: r.id === currentSessionId }));
  }

  /** Ends one of the user's live sessions; 404 when the user has no such live session. Audited. */
  async endOne(userId: number, sessionId: string, reason: SessionEndReason, actorUserId: number): Promise<void> {
    if (!UUID.test(sessionId)) throw DomainError.notFound('セッション', sessionId);
    const ended = await this.dataSource.transaction((em) => this.end(em, { userId, only: sessionId }, reason, actorUserId));
    if (ended === 0) throw DomainError.notFound('セッション', sessionId);
  }

  /**
   * Ends every live session of the user but `exceptSessionId`, in the caller's transaction
   * when one is given (a password reset ends them in the transaction that resets). Audited
   * once, naming the sessions. Answers how many were ended.
   */
  endAll(userId: number, reason: SessionEndReason, actorUserId: number, opts: { exceptSessionId?: string; em?: EntityManager } = {}): Promise<number> {
    const run = (em: EntityManager) => this.end(em, { userId, except: opts.exceptSessionId }, reason, actorUserId);
    return opts.em ? run(opts.em) : this.dataSource.transaction(run);
  }

  private async end(
    em: EntityManager,
    which: { userId: number; only?: string; except?: string },
    reason: SessionEndReason,
    actorUserId: number,
  ): Promise<number> {
    // TypeORM returns [rows, affectedCount] for an UPDATE ... RETURNING.
    const [rows]: [{ id: string }[], number] = await em.query(
      `UPDATE sessions SET ended_at = now(), end_reason = $4, ended_by = $5
        WHERE user_id = $1 AND ended_at IS NULL AND expires_at > now()
          AND ($2::uuid IS NULL OR id = $2) AND ($3::uuid IS NULL OR id <> $3)
        RETURNING id`,
      [which.userId, which.only ?? null, which.except ?? null, reason, actorUserId],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return 0;
    await this.audit.record(em, {
      actorUserId,
      action: 'session.end',
      subjectType: 'user',
      subjectId: which.userId,
      after: { sessionIds: ids, reason },
    });
    return ids.length;
  }
}
