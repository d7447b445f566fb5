import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApprovalRoutingService } from '@app/approvals';
import { ENTRY_STATES_AWAITING_APPROVAL, ENTRY_STATES_TO_SUBMIT, escalationRecipient } from '@app/domain';
import type { ReminderAudience } from './reminder-plan';

/** Entry states in which the section has to act (write, submit, resubmit). */
export const SECTION_MUST_ACT: readonly string[] = ENTRY_STATES_TO_SUBMIT;
/** Entry states in which the current approver has to act. */
export const APPROVER_MUST_ACT: readonly string[] = ENTRY_STATES_AWAITING_APPROVAL;

/**
 * The deadline an entry under review counts from: its wait's (review_waits, written when it
 * started waiting at its step), else the cycle's review deadline (entries older than that table).
 */
export const REVIEW_DEADLINE_SQL = `to_char(COALESCE((SELECT w.deadline FROM review_waits w WHERE w.entry_id = e.id), c.review_deadline), 'YYYY-MM-DD')`;

/**
 * Who has to act on what, now, in open cycles: section chiefs and staff for entries waiting
 * on their section, the current approvers (from the approval route) for entries under review;
 * and who is told when that is overdue (the department head, `escalations`).
 * Read at fan-out (who gets a mail) and again at send time (what the mail lists).
 */
@Injectable()
export class PendingWorkService {
  constructor(private readonly routing: ApprovalRoutingService) {}

  /**
   * userId -> entry ids waiting on that user, for one audience and some cycles (and only some
   * users, if given; for review, only entries whose deadline is `reviewDeadline`, if given).
   */
  async byUser(
    em: EntityManager,
    audience: ReminderAudience,
    cycleIds: number[],
    onlyUserIds?: number[],
    reviewDeadline?: string,
  ): Promise<Map<number, number[]>> {
    if (cycleIds.length === 0 || onlyUserIds?.length === 0) return new Map();
    if (audience === 'submit') return this.sectionWork(em, cycleIds, onlyUserIds);
    const only = onlyUserIds && new Set(onlyUserIds);
    const byUser = new Map<number, number[]>();
    for (const [entryId, userIds] of await this.approversOf(em, cycleIds, reviewDeadline)) {
      for (const userId of userIds) {
        if (only && !only.has(userId)) continue;
        byUser.set(userId, [...(byUser.get(userId) ?? []), entryId]);
      }
    }
    return byUser;
  }

  /**
   * Department head -> entry ids of their department waiting on someone else (the section, or
   * an approver below them), for the overdue reminders of one audience: the escalation, sent as
   * the head's own digest (one per person per send hour), not as a copy on each member's mail.
   * Entries nobody can approve are planning's (NoticeOutboxService.escalateStuck), not the head's.
   */
  async escalations(
    em: EntityManager,
    audience: ReminderAudience,
    cycleIds: number[],
    onlyUserIds?: number[],
    reviewDeadline?: string,
  ): Promise<Map<number, number[]>> {
    if (cycleIds.length === 0 || onlyUserIds?.length === 0) return new Map();
    const only = onlyUserIds && new Set(onlyUserIds);
    const heads: { id: number; headUserId: number; writers: number[] }[] = await em.query(
      `SELECT e.id, d.head_user_id AS "headUserId",
              ARRAY(SELECT u.id FROM users u WHERE u.section_id = e.section_id AND u.active AND u.roles && ARRAY['chief','staff']::text[]) AS writers
         FROM entries e JOIN cycles c ON c.id = e.cycle_id AND c.state = 'open'
         JOIN sections s ON s.id = e.section_id JOIN departments d ON d.id = s.department_id
         JOIN users h ON h.id = d.head_user_id AND h.active
        WHERE e.cycle_id = ANY($1) AND e.state = ANY($2) AND ($3::date IS NULL OR ${REVIEW_DEADLINE_SQL}::date = $3::date)
        ORDER BY e.id`,
      [cycleIds, audience === 'submit' ? SECTION_MUST_ACT : APPROVER_MUST_ACT, audience === 'review' ? (reviewDeadline ?? null) : null],
    );
    const approvers =
      audience === 'review'
        ? await this.routing.pendingApprovers(
            em,
            heads.map((h) => h.id),
          )
        : new Map<number, number[]>();
    const byHead = new Map<number, number[]>();
    for (const row of heads) {
      const waitingOn = audience === 'submit' ? row.writers : (approvers.get(row.id) ?? []);
      if (waitingOn.length === 0) continue;
      const head = escalationRecipient(row.headUserId, waitingOn);
      if (head === null || (only && !only.has(head))) continue;
      byHead.set(head, [...(byHead.get(head) ?? []), row.id]);
    }
    return byHead;
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

  /** entry id -> who must approve it now, for the entries under review (with that deadline, if given). */
  private async approversOf(em: EntityManager, cycleIds: number[], reviewDeadline?: string): Promise<Map<number, number[]>> {
    const entries: { id: number }[] = await em.query(
      `SELECT e.id FROM entries e JOIN cycles c ON c.id = e.cycle_id AND c.state = 'open'
        WHERE e.cycle_id = ANY($1) AND e.state = ANY($2) AND ($3::date IS NULL OR ${REVIEW_DEADLINE_SQL}::date = $3::date) ORDER BY e.id`,
      [cycleIds, APPROVER_MUST_ACT, reviewDeadline ?? null],
    );
    return this.routing.pendingApprovers(
      em,
      entries.map((e) => e.id),
    );
  }
}
