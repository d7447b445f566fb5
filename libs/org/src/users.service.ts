import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { AuthService, SessionsService } from '@app/auth';
import type { SessionView } from '@app/auth';
import { DomainError } from '@app/common';
import type { Actor } from '@app/domain';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { User } from './entities/user.entity';

/** What the api returns for a user: never the password hash. */
export type UserView = Omit<User, 'passwordHash'> & { sectionName: string | null };

const USER_COLUMNS = `u.id, u.login, u.name, u.email, u.staff_number AS "staffNumber", u.section_id AS "sectionId", u.roles, u.active,
  u.password_change_required AS "passwordChangeRequired", u.created_at AS "createdAt", u.updated_at AS "updatedAt", s.name AS "sectionName"`;

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
  ) {}

  list(filter: { sectionId?: number; includeInactive?: boolean } = {}): Promise<UserView[]> {
    return this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN sections s ON s.id = u.section_id
        WHERE ($1::int IS NULL OR u.section_id = $1) AND ($2 OR u.active)
        ORDER BY u.login`,
      [filter.sectionId ?? null, filter.includeInactive ?? false],
    );
  }

  /**
   * The staff directory every signed-in user may search (to name a delegate): active people with
   * their section, nothing else (no address, no roles). At most 50, by name or login.
   */
  directory(q: string): Promise<{ id: number; name: string; sectionName: string | null }[]> {
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.dataSource.query(
      `SELECT u.id, u.name, s.name AS "sectionName" FROM users u LEFT JOIN sections s ON s.id = u.section_id
        WHERE u.active AND ($1 = '%%' OR u.name ILIKE $1 OR u.login ILIKE $1 OR s.name ILIKE $1)
        ORDER BY s.code NULLS LAST, u.name LIMIT 50`,
      [like],
    );
  }

  async get(id: number): Promise<UserView> {
    const [row] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users u LEFT JOIN sections s ON s.id = u.section_id WHERE u.id = $1`, [id]);
    if (!row) throw DomainError.notFound('ユーザー', id);
    return row;
  }

  async create(dto: CreateUserDto, actor: Actor): Promise<UserView> {
    const passwordHash = await this.auth.hashPassword(dto.password, 'password', dto.login);
    const id = await this.dataSource.transaction(async (em) => {
      if (await em.existsBy(User, { login: dto.login })) {
        throw new DomainError('conflict', `ログインID ${dto.login} は既に使われています`, { field: 'login' });
      }
      await this.assertSection(em, dto.sectionId);
      if (dto.staffNumber) await this.assertStaffNumberFree(em, dto.staffNumber, null);
      const saved = await em.save(
        em.create(User, {
          login: dto.login,
          name: dto.name,
          email: dto.email,
          sectionId: dto.sectionId ?? null,
          staffNumber: dto.staffNumber?.trim() || null,
          roles: [...new Set(dto.roles)],
          passwordHash,
          // The administrator knows it: the user replaces it at first sign-in.
          passwordChangeRequired: true,
          active: true,
        }),
      );
      await this.audit.record(em, { actorUserId: actor.id, action: 'user.create', subjectType: 'user', subjectId: saved.id, after: redact(saved) });
      return saved.id;
    });
    return this.get(id);
  }

  /** Audited as user.update, or user.deactivate / user.password_reset when that is all it does. */
  async update(id: number, dto: UpdateUserDto, actor: Actor): Promise<UserView> {
    const given = Object.entries(dto)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    const only = (key: keyof UpdateUserDto) => given.length === 1 && given[0] === key;
    const action = only('active') && dto.active === false ? 'user.deactivate' : only('password') ? 'user.password_reset' : 'user.update';
    const passwordHash = dto.password ? await this.auth.hashPassword(dto.password) : undefined;
    await this.dataSource.transaction(async (em) => {
      const current = await em.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw DomainError.notFound('ユーザー', id);
      if (dto.sectionId !== undefined) await this.assertSection(em, dto.sectionId);
      if (dto.staffNumber) await this.assertStaffNumberFree(em, dto.staffNumber, id);
      if (id === actor.id && (dto.active === false || (dto.roles && !dto.roles.includes('admin')))) {
        throw DomainError.invalid(dto.active === false ? 'active' : 'roles', '自分自身を無効化したり管理者権限を外したりはできません');
      }
      const { password: _password, ...changes } = dto;
      const before = redact(current);
      const next = em.merge(User, current, { ...changes, ...(dto.roles ? { roles: [...new Set(dto.roles)] } : {}) });
      await em.save(next);
      // An administrator's reset signs the user out everywhere, like a change of their own, and ends
      // a lock; the administrator knows the new one, so the user must change it at next sign-in.
      if (passwordHash) await em.update(User, { id }, { passwordHash, passwordChangedAt: () => 'now()', passwordChangeRequired: true });
      // Deactivation and a reset end the user's sessions in this transaction: no window where they still work.
      const endReason = before.active && dto.active === false ? 'user_deactivated' : passwordHash ? 'password_reset' : null;
      if (endReason) await this.sessions.endAll(id, endReason, actor.id, { em });
      await this.audit.record(em, {
        actorUserId: actor.id,
        action,
        subjectType: 'user',
        subjectId: id,
        before,
        after: { ...redact(next), passwordChanged: Boolean(passwordHash), ...(passwordHash ? { passwordChangeRequired: true } : {}) },
      });
    });
    if (passwordHash) await this.auth.unlock((await this.get(id)).login);
    return this.get(id);
  }

  /** An administrator ends a sign-in lock; audited. */
  async unlock(id: number, actor: Actor): Promise<UserView> {
    const user = await this.get(id);
    await this.auth.unlock(user.login);
    await this.dataSource.transaction((em) => this.audit.record(em, { actorUserId: actor.id, action: 'user.unlock', subjectType: 'user', subjectId: id }));
    return user;
  }

  /** The user's live sessions (ログイン中の端末), for an administrator. */
  async sessionsOf(id: number): Promise<SessionView[]> {
    await this.get(id);
    return this.sessions.listLive(id);
  }

  /** 「セッションを終了」: an administrator signs the user out of every device; audited. */
  async endSessions(id: number, actor: Actor): Promise<{ ended: number }> {
    await this.get(id);
    return { ended: await this.sessions.endAll(id, 'ended_by_admin', actor.id) };
  }

  /** Users are deactivated, never deleted: entries and the audit log refer to them. */
  async deactivate(id: number, actor: Actor): Promise<UserView> {
    return this.update(id, { active: false }, actor);
  }

  private async assertStaffNumberFree(em: EntityManager, staffNumber: string, userId: number | null): Promise<void> {
    const [row] = await em.query(`SELECT login FROM users WHERE staff_number = $1 AND ($2::int IS NULL OR id <> $2)`, [staffNumber, userId]);
    if (row) throw new DomainError('conflict', `職員番号 ${staffNumber} は ${row.login} に使われています`, { field: 'staffNumber' });
  }

  private async assertSection(em: EntityManager, sectionId: number | null | undefined): Promise<void> {
    if (sectionId == null) return;
    const [row] = await em.query(`SELECT active FROM sections WHERE id = $1`, [sectionId]);
    if (!row) throw DomainError.invalid('sectionId', `課 ${sectionId} が見つかりません`);
    if (!row.active) throw DomainError.invalid('sectionId', `課 ${sectionId} は統合・廃止されています`);
  }
}

function redact(user: User): Omit<User, 'passwordHash'> {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}
