import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ApprovalStepKind } from '@app/domain';

/** A delegation as a notice tells of it (names come from libs/org, the cycle's label from libs/cycles). */
export interface DelegationFactsRow {
  id: number;
  fromUserId: number;
  toUserId: number;
  /** Who recorded it (null: its principal, before that was kept). */
  createdBy: number | null;
  startsOn: string;
  endsOn: string;
  cycleId: number | null;
  stepKind: ApprovalStepKind | null;
  reason: string | null;
}

/**
 * Typed reads of delegations for the libs that do not own them (reminders' notices, personnel's
 * transfer preview), in the caller's transaction when one is passed.
 */
@Injectable()
export class DelegationLookupService {
  constructor(private readonly dataSource: DataSource) {}

  async delegationFacts(id: number, em: EntityManager = this.dataSource.manager): Promise<DelegationFactsRow | null> {
    const [row]: DelegationFactsRow[] = await em.query(
      `SELECT id, from_user_id AS "fromUserId", to_user_id AS "toUserId", created_by AS "createdBy", to_char(starts_on, 'YYYY-MM-DD') AS "startsOn",
              to_char(ends_on, 'YYYY-MM-DD') AS "endsOn", cycle_id AS "cycleId", step_kind AS "stepKind", reason
         FROM delegations WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /**
   * Per person among `userIds` (as principal or delegate), the live delegations a 人事異動 ends
   * (`n`) and those kept through it (`kept`, 「人事異動の後も続ける」); people with none are absent.
   */
  async transferDelegationCounts(
    userIds: readonly number[],
    today: string,
    em: EntityManager = this.dataSource.manager,
  ): Promise<{ userId: number; n: number; kept: number }[]> {
    if (!userIds.length) return [];
    return em.query(
      `SELECT u AS "userId", count(*) FILTER (WHERE NOT d.continue_after_transfer)::int AS n, count(*) FILTER (WHERE d.continue_after_transfer)::int AS kept
         FROM delegations d, LATERAL (VALUES (d.from_user_id), (d.to_user_id)) v(u)
        WHERE d.revoked_at IS NULL AND d.ends_on >= $2 AND u = ANY($1) GROUP BY u`,
      [[...userIds], today],
    );
  }

  /** The live delegations by or to these people that a 人事異動 ends (not kept through it). */
  async delegationIdsEndingOnTransfer(userIds: readonly number[], today: string, em: EntityManager = this.dataSource.manager): Promise<number[]> {
    const rows: { id: number }[] = await em.query(
      `SELECT id FROM delegations WHERE revoked_at IS NULL AND ends_on >= $2 AND (from_user_id = ANY($1) OR to_user_id = ANY($1)) AND NOT continue_after_transfer`,
      [[...userIds], today],
    );
    return rows.map((r) => r.id);
  }
}
