import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApprovalRoutingService } from '@app/approvals';
import { ENTRY_STATES_AWAITING_APPROVAL, ENTRY_STATES_TO_SUBMIT } from '@app/domain';
import type { ReminderAudience } from './reminder-plan';

/** Entry states in which the section has to act (write, submit, resubmit). */
export const SECTION_MUST_ACT: readonly string[] = ENTRY_STATES_TO_SUBMIT;
/** Entry states in which the current approver has to act. */
export const APPROVER_MUST_ACT: readonly string[] = ENTRY_STATES_AWAITING_APPROVAL;

/**
 * Who has to act on what, now, in open cycles: section chiefs and staff for entries waiting
 * on their section, the current approvers (from the approval route) for entries under review.
 * Read at fan-out (who gets a mail) and again at send time (what the mail lists).
 */
@Injectable()
export class PendingWorkService {
  constructor(private readonly routing: ApprovalRoutingService) {}

  /** userId -> entry ids waiting on that user, for one audience and some cycles (and only some users, if given). */
  async byUser(em: EntityManager, audience: ReminderAudience, cycleIds: number[], onlyUserIds?: number[]): Promise<Map<number, number[]>> {
    if (cycleIds.length === 0 || onlyUserIds?.length === 0) return new Map();
    return audience === 'submit' ? this.sectionWork(em, cycleIds, onlyUserIds) : this.approverWork(em, cycleIds, onlyUserIds);
  }

  private async sectionWork(em: EntityManager, cycleIds: number[], onlyUserIds?: number[]) {
    const rows: { userId: number; entryIds: number[] }[] = await em.query(
      `SELECT u.id AS "userId", array_agg(e.id ORDER BY e.id) AS "entryIds"
         FROM entries e
         JOIN cycles c ON c.id = e.cycle_id AND c.state = 'open'
         JOIN users u ON u.section_id = e.section_id AND u.active AND u.roles && ARRAY['chief','staff']::text[]
        WHERE e.cycle_id = ANY($1) AND e.state = ANY($2) AND ($3::int[] IS NULL OR u.id = ANY($3))
        GROUP BY u.id`,
      [cycleIds, SECTION_MUST_ACT, onlyUserIds ?? null],
    );
    return new Map(rows.map((r) => [r.userId, r.entryIds]));
  }

  private async approverWork(em: EntityManager, cycleIds: number[], onlyUserIds?: number[]) {
    const only = onlyUserIds && new Set(onlyUserIds);
    const entries: { id: number }[] = await em.query(
      `SELECT e.id FROM entries e JOIN cycles c ON c.id = e.cycle_id AND c.state = 'open'
        WHERE e.cycle_id = ANY($1) AND e.state = ANY($2) ORDER BY e.id`,
      [cycleIds, APPROVER_MUST_ACT],
    );
    const approvers = await this.routing.pendingApprovers(
      em,
      entries.map((e) => e.id),
    );
    const byUser = new Map<number, number[]>();
    for (const [entryId, userIds] of approvers) {
      for (const userId of userIds) {
        if (only && !only.has(userId)) continue;
        byUser.set(userId, [...(byUser.get(userId) ?? []), entryId]);
      }
    }
    return byUser;
  }
}
