import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError, DomainEvent } from '@app/common';
import type { DelegationEvent, DelegationRecordedEvent } from '@app/common';
import { Actor, canSeeAllSections, decideRecording, DELEGATION_STATE_LABELS, delegationState, mayConfirm, type PrincipalPlace, tokyoToday } from '@app/domain';
import { CycleReads } from '@app/cycles';
import { UserDirectory } from '@app/org';
import { CreateDelegationDto } from './dto/delegation.dto';

const COLUMNS = `
  d.id, d.from_user_id AS "fromUserId", d.to_user_id AS "toUserId",
  to_char(d.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(d.ends_on, 'YYYY-MM-DD') AS "endsOn", d.reason,
  d.cycle_id AS "cycleId", d.step_kind AS "stepKind",
  d.created_by AS "createdBy", d.created_at AS "createdAt",
  d.confirmed_at AS "confirmedAt", d.confirmed_by AS "confirmedBy", d.revoked_at AS "revokedAt",
  d.continue_after_transfer AS "continueAfterTransfer"`;

interface DelegationRow {
  id: number;
  fromUserId: number;
  toUserId: number;
  startsOn: string;
  endsOn: string;
  createdBy: number | null;
  confirmedAt: Date | null;
  revokedAt: Date | null;
  cycleId: number | null;
  stepKind: string | null;
  confirmedBy: number | null;
}

/** A row as the API answers it: with its state and its label, and what the caller may do with it. */
function view<T extends DelegationRow>(row: T, today: string, caller?: { mayConfirm: boolean; mayRevoke: boolean }) {
  const state = delegationState({ ...row, stepKind: null }, today);
  return { ...row, state, stateLabel: DELEGATION_STATE_LABELS[state], active: state === 'active', ...(caller ?? {}) };
}

/**
 * Delegation (代決) of a user's approval rights to another user for a date range, optionally
 * for one cycle or one kind of step. Maker-checker: one recorded by someone other than the
 * principal waits for the principal's or their superior's confirmation, and the principal is
 * told of it (and of every action later taken in their name).
 */
@Injectable()
export class DelegationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly userDirectory: UserDirectory,
    private readonly cycles: CycleReads,
  ) {}

  create(dto: CreateDelegationDto, actor: Actor) {
    const fromUserId = dto.fromUserId ?? actor.id;
    const decision = decideRecording({ id: actor.id, recordsForOthers: canSeeAllSections(actor) }, fromUserId, dto.toUserId);
    if (!decision.allowed) {
      if (decision.field === 'toUserId' && dto.toUserId === fromUserId) throw DomainError.invalid('toUserId', decision.message);
      throw new DomainError('forbidden', decision.message, { field: decision.field });
    }
    if (dto.endsOn < dto.startsOn) throw DomainError.invalid('endsOn', '終了日は開始日以降にしてください');
    if (dto.endsOn < tokyoToday()) throw DomainError.invalid('endsOn', '終了日が過去の代理は設定できません');
    return this.dataSource.transaction(async (em) => {
      const users = await this.userDirectory.forRouting([fromUserId, dto.toUserId], em);
      const known = (id: number) => users.get(id);
      if (!known(fromUserId)) throw DomainError.invalid('fromUserId', `職員 ${fromUserId} が見つかりません`);
      if (!known(dto.toUserId)?.active) throw DomainError.invalid('toUserId', `職員 ${dto.toUserId} が見つからないか無効です`);
      if (dto.cycleId) {
        const cycle = (await this.cycles.headingsOf([dto.cycleId], em)).get(dto.cycleId);
        if (!cycle) throw DomainError.invalid('cycleId', `サイクル ${dto.cycleId} が見つかりません`);
      }
      const [row] = await em.query(
        `INSERT INTO delegations (from_user_id, to_user_id, starts_on, ends_on, reason, created_by, cycle_id, step_kind, confirmed_at, continue_after_transfer)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::bool THEN NULL ELSE now() END, $10) RETURNING id`,
        [
          fromUserId,
          dto.toUserId,
          dto.startsOn,
          dto.endsOn,
          dto.reason ?? null,
          actor.id,
          dto.cycleId ?? null,
          dto.stepKind ?? null,
          decision.needsConfirmation,
          dto.continueAfterTransfer ?? false,
        ],
      );
      const created = await this.read(em, row.id);
      await this.audit.record(em, {
        actorUserId: actor.id,
        onBehalfOfUserId: fromUserId === actor.id ? null : fromUserId,
        action: 'delegation.create',
        subjectType: 'delegation',
        subjectId: row.id,
        after: created,
        comment: dto.reason ?? null,
      });
      await this.events.emitAsync(DomainEvent.DelegationRecorded, {
        em,
        delegationId: row.id,
        actorUserId: actor.id,
        needsConfirmation: decision.needsConfirmation,
      } satisfies DelegationRecordedEvent);
      return view(created, tokyoToday());
    });
  }

  /** The principal, or their superior, puts a delegation recorded on the principal's behalf in force. */
  confirm(id: number, actor: Actor) {
    return this.dataSource.transaction(async (em) => {
      const before = await this.read(em, id, true);
      if (before.revokedAt) throw DomainError.conflict('この代理設定は取り消されています', { field: 'id' });
      if (before.confirmedAt) throw DomainError.conflict('この代理設定は既に確認されています', { field: 'id' });
      const principal = await this.placeOf(em, before.fromUserId);
      if (!mayConfirm(actor.id, principal, before.createdBy, before.toUserId)) {
        throw DomainError.forbidden('この代理設定を確認できるのは、代理元の本人またはその上司（登録者・代理者を除く）のみです');
      }
      await em.query(`UPDATE delegations SET confirmed_at = now(), confirmed_by = $2 WHERE id = $1`, [id, actor.id]);
      const after = await this.read(em, id);
      await this.audit.record(em, {
        actorUserId: actor.id,
        onBehalfOfUserId: actor.id === before.fromUserId ? null : before.fromUserId,
        action: 'delegation.confirm',
        subjectType: 'delegation',
        subjectId: id,
        before,
        after,
      });
      await this.events.emitAsync(DomainEvent.DelegationConfirmed, { em, delegationId: id, actorUserId: actor.id } satisfies DelegationEvent);
      return view(after, tokyoToday());
    });
  }

  /**
   * The caller's delegations: given (I am the principal), received (I am the delegate), those
   * waiting for my confirmation as a superior, and (planning, admin) those I recorded for others.
   */
  async mine(actor: Actor) {
    const today = tokyoToday();
    const em = this.dataSource.manager;
    const subordinates = await this.userDirectory.subordinatesOf(actor.id, em);
    const rows = await this.named(
      em,
      await em.query(
        `SELECT ${COLUMNS} FROM delegations d
          WHERE d.from_user_id = $1 OR d.to_user_id = $1 OR d.created_by = $1
             OR (d.confirmed_at IS NULL AND d.revoked_at IS NULL AND d.from_user_id = ANY($2::int[]))
          ORDER BY d.starts_on DESC, d.id DESC`,
        [actor.id, subordinates],
      ),
    );
    const places = new Map<number, PrincipalPlace>();
    for (const id of new Set(rows.filter((r) => !r.confirmedAt).map((r) => r.fromUserId))) places.set(id, await this.placeOf(em, id));
    const out = rows.map((r) =>
      view(r, today, {
        mayConfirm: !r.confirmedAt && !r.revokedAt && mayConfirm(actor.id, places.get(r.fromUserId)!, r.createdBy, r.toUserId),
        mayRevoke: !r.revokedAt && this.mayRevoke(r, actor),
      }),
    );
    return {
      given: out.filter((r) => r.fromUserId === actor.id),
      received: out.filter((r) => r.toUserId === actor.id),
      toConfirm: out.filter((r) => r.mayConfirm && r.fromUserId !== actor.id),
      recorded: out.filter((r) => r.createdBy === actor.id && r.fromUserId !== actor.id),
    };
  }

  /**
   * A 人事異動 ends the delegations given by or to the people it moves (the post they were
   * given for is no longer theirs), from today on: those in force or still to come. Audited
   * per delegation (`delegation.end`), in the caller's transaction.
   */
  async endForTransfer(em: EntityManager, userIds: number[], actorUserId: number | null, comment: string, today = tokyoToday()): Promise<number[]> {
    if (!userIds.length) return [];
    const ended: { id: number }[] = await em.query(
      `SELECT id FROM delegations WHERE revoked_at IS NULL AND ends_on >= $2 AND (from_user_id = ANY($1) OR to_user_id = ANY($1))
          AND NOT continue_after_transfer ORDER BY id FOR UPDATE`,
      [userIds, today],
    );
    for (const { id } of ended) {
      const before = await this.read(em, id);
      await em.query(`UPDATE delegations SET revoked_at = now() WHERE id = $1`, [id]);
      await this.audit.record(em, {
        actorUserId,
        action: 'delegation.end',
        subjectType: 'delegation',
        subjectId: id,
        before,
        after: await this.read(em, id),
        comment,
      });
    }
    return ended.map((r) => r.id);
  }

  /** Revocation keeps the row (the audit trail refers to it) and stamps revoked_at. */
  revoke(id: number, actor: Actor) {
    return this.dataSource.transaction(async (em) => {
      const before = await this.read(em, id, true);
      if (!this.mayRevoke(before, actor)) throw DomainError.forbidden('この代理設定を取り消す権限がありません');
      if (before.revokedAt) throw DomainError.conflict('この代理設定は既に取り消されています', { field: 'id' });
      await em.query(`UPDATE delegations SET revoked_at = now() WHERE id = $1`, [id]);
      const after = await this.read(em, id);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'delegation.revoke',
        subjectType: 'delegation',
        subjectId: id,
        before,
        after,
      });
      return view(after, tokyoToday());
    });
  }

  /** The principal, the delegate (who may decline), whoever recorded it, and planning/admin. */
  private mayRevoke(d: DelegationRow, actor: Actor): boolean {
    return d.fromUserId === actor.id || d.toUserId === actor.id || d.createdBy === actor.id || canSeeAllSections(actor);
  }

  private async read(em: EntityManager, id: number, lock = false): Promise<DelegationRow & Record<string, unknown>> {
    const [row] = await em.query(`SELECT ${COLUMNS} FROM delegations d WHERE d.id = $1 ${lock ? 'FOR UPDATE OF d' : ''}`, [id]);
    if (!row) throw DomainError.notFound('代理設定', id);
    return (await this.named(em, [row]))[0];
  }

  /** The rows with the names of the people they name and their cycle's label, from their owners. */
  private async named<T extends DelegationRow>(em: EntityManager, rows: T[]) {
    const users = await this.userDirectory.forRouting(
      rows.flatMap((r) => [r.fromUserId, r.toUserId, r.createdBy, r.confirmedBy]).filter((id): id is number => id !== null),
      em,
    );
    const cycles = await this.cycles.headingsOf(
      rows.map((r) => r.cycleId).filter((id): id is number => id !== null),
      em,
    );
    const name = (id: number | null) => (id === null ? null : (users.get(id)?.name ?? null));
    return rows.map((r) => ({
      ...r,
      fromUserName: name(r.fromUserId),
      toUserName: name(r.toUserId),
      cycleLabel: r.cycleId === null ? null : (cycles.get(r.cycleId)?.label ?? null),
      createdByName: name(r.createdBy),
      confirmedByName: name(r.confirmedBy),
    }));
  }

  /** The principal's superiors: the other chiefs of their section and their department's head. */
  private async placeOf(em: EntityManager, userId: number): Promise<PrincipalPlace> {
    return (await this.userDirectory.superiorsOf(userId, em)) as PrincipalPlace;
  }
}
