import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { Actor, canSeeAllSections, tokyoToday } from '@app/domain';
import { CreateDelegationDto } from './dto/delegation.dto';

const COLUMNS = `
  d.id, d.from_user_id AS "fromUserId", f.name AS "fromUserName", d.to_user_id AS "toUserId", t.name AS "toUserName",
  to_char(d.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(d.ends_on, 'YYYY-MM-DD') AS "endsOn", d.reason,
  d.created_by AS "createdBy", d.created_at AS "createdAt", d.revoked_at AS "revokedAt",
  (d.revoked_at IS NULL AND $2::date BETWEEN d.starts_on AND d.ends_on) AS active`;
const FROM = `FROM delegations d JOIN users f ON f.id = d.from_user_id JOIN users t ON t.id = d.to_user_id`;

/** Delegation (代理) of a user's approval rights to another user for a date range. */
@Injectable()
export class DelegationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** A user delegates their own rights; planning and admin may record one for anyone. */
  create(dto: CreateDelegationDto, actor: Actor) {
    const fromUserId = dto.fromUserId ?? actor.id;
    if (fromUserId !== actor.id && !canSeeAllSections(actor)) {
      throw new DomainError('forbidden', '他の職員の代理を設定できるのは企画担当・管理者のみです', { field: 'fromUserId' });
    }
    if (dto.toUserId === fromUserId) throw DomainError.invalid('toUserId', '自分自身を代理者にはできません');
    if (dto.endsOn < dto.startsOn) throw DomainError.invalid('endsOn', '終了日は開始日以降にしてください');
    if (dto.endsOn < tokyoToday()) throw DomainError.invalid('endsOn', '終了日が過去の代理は設定できません');
    return this.dataSource.transaction(async (em) => {
      const users: { id: number; active: boolean }[] = await em.query(`SELECT id, active FROM users WHERE id = ANY($1)`, [[fromUserId, dto.toUserId]]);
      const known = (id: number) => users.find((u) => u.id === id);
      if (!known(fromUserId)) throw DomainError.invalid('fromUserId', `職員 ${fromUserId} が見つかりません`);
      if (!known(dto.toUserId)?.active) throw DomainError.invalid('toUserId', `職員 ${dto.toUserId} が見つからないか無効です`);
      const [row] = await em.query(
        `INSERT INTO delegations (from_user_id, to_user_id, starts_on, ends_on, reason, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [fromUserId, dto.toUserId, dto.startsOn, dto.endsOn, dto.reason ?? null, actor.id],
      );
      const [created] = await em.query(`SELECT ${COLUMNS} ${FROM} WHERE d.id = $1`, [row.id, tokyoToday()]);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'delegation.create',
        subjectType: 'delegation',
        subjectId: row.id,
        after: created,
        comment: dto.reason ?? null,
      });
      return created;
    });
  }

  /** The caller's delegations: given (I am the principal) and received (I am the delegate). */
  async mine(actor: Actor) {
    const rows: { fromUserId: number; toUserId: number }[] = await this.dataSource.query(
      `SELECT ${COLUMNS} ${FROM} WHERE d.from_user_id = $1 OR d.to_user_id = $1 ORDER BY d.starts_on DESC, d.id DESC`,
      [actor.id, tokyoToday()],
    );
    return { given: rows.filter((r) => r.fromUserId === actor.id), received: rows.filter((r) => r.toUserId === actor.id) };
  }

  /** Revocation keeps the row (the audit trail refers to it) and stamps revoked_at. */
  revoke(id: number, actor: Actor) {
    return this.dataSource.transaction(async (em) => {
      const [before] = await em.query(`SELECT ${COLUMNS} ${FROM} WHERE d.id = $1 FOR UPDATE OF d`, [id, tokyoToday()]);
      if (!before) throw DomainError.notFound('代理設定', id);
      if (before.fromUserId !== actor.id && before.createdBy !== actor.id && !canSeeAllSections(actor)) {
        throw DomainError.forbidden('この代理設定を取り消す権限がありません');
      }
      if (before.revokedAt) throw DomainError.conflict('この代理設定は既に取り消されています', { field: 'id' });
      await em.query(`UPDATE delegations SET revoked_at = now() WHERE id = $1`, [id]);
      const [after] = await em.query(`SELECT ${COLUMNS} ${FROM} WHERE d.id = $1`, [id, tokyoToday()]);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'delegation.revoke',
        subjectType: 'delegation',
        subjectId: id,
        before,
        after,
      });
      return after;
    });
  }
}
