import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApprovalRoutingService } from '@app/approvals';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { ENTRY_STATES_AWAITING_APPROVAL, ENTRY_STATES_TO_SUBMIT, escalationRecipient } from '@app/domain';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import type { EntryRefRow } from '@app/entries/reads/entry-reads.service';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import { UserDirectory, writesForSection } from '@app/org/directory/user-directory.service';
import type { SectionMemberRow } from '@app/org/directory/user-directory.service';
import type { ReminderAudience } from './reminder-plan';

/** Entry states in which the section has to act (write, submit, resubmit). */
export const SECTION_MUST_ACT: readonly string[] = ENTRY_STATES_TO_SUBMIT;
/** Entry states in which the current approver has to act. */
export const APPROVER_MUST_ACT: readonly string[] = ENTRY_STATES_AWAITING_APPROVAL;

/**
 * Who has to act on what, now, in open cycles: section chiefs and staff for entries waiting
 * on their section, the current approvers (from the approval route) for entries under review;
 * and who is told when that is overdue (the department head, `escalations`).
 * Read at fan-out (who gets a mail) and again at send time (what the mail lists).
 */
@Injectable()
export class PendingWorkService {
  constructor(
    private readonly routing: ApprovalRoutingService,
    private readonly cycles: CycleReads,
    private readonly entries: EntryReads,
    private readonly users: UserDirectory,
    private readonly sections: SectionDirectory,
  ) {}

  /**
   * The deadline each entry under review counts from (YYYY-MM-DD): its wait's (review_waits,
   * written when it started waiting at its step), else its cycle's review deadline (entries older
   * than that table).
   */
  async reviewDeadlines(em: EntityManager, entries: readonly Pick<EntryRefRow, 'id' | 'cycleId'>[]): Promise<Map<number, string>> {
    if (!entries.length) return new Map();
    const waits: { entryId: number; deadline: string }[] = await em.query(
      `SELECT entry_id AS "entryId", to_char(deadline, 'YYYY-MM-DD') AS deadline FROM review_waits WHERE entry_id = ANY($1::int[])`,
      [entries.map((e) => e.id)],
    );
    const cycles = await this.cycles.facts(
      entries.map((e) => e.cycleId),
      em,
    );
    const own = new Map(waits.map((w) => [w.entryId, w.deadline]));
    return new Map(entries.map((e) => [e.id, own.get(e.id) ?? cycles.get(e.cycleId)?.reviewDeadline ?? '']));
  }

  /**
   * The entries of the open ones of these cycles in `states` (for review: only those whose
   * deadline is `reviewDeadline`, if given; only those of `sectionIds`, if given), by id.
   */
  private async openEntries(
    em: EntityManager,
    cycleIds: number[],
    states: readonly string[],
    reviewDeadline?: string | null,
    sectionIds?: readonly number[],
  ): Promise<EntryRefRow[]> {
    const open = await this.cycles.openAmong(cycleIds, em);
    const entries = await this.entries.refsOfCycles([...open], { states, sectionIds }, em);
    if (!reviewDeadline) return entries;
    const deadlines = await this.reviewDeadlines(em, entries);
    return entries.filter((e) => deadlines.get(e.id) === reviewDeadline);
  }

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
    // Only the heads asked for: the sections of their departments, not every open entry of the cycles.
    const headed = onlyUserIds && (await this.sections.headedBy(onlyUserIds, em)).map((s) => s.sectionId);
    const entries = await this.openEntries(
      em,
      cycleIds,
      audience === 'submit' ? SECTION_MUST_ACT : APPROVER_MUST_ACT,
      audience === 'review' ? reviewDeadline : null,
      headed,
    );
    const sectionIds = entries.map((e) => e.sectionId);
    const sections = await this.sections.withDepartments(sectionIds, em);
    const members = audience === 'submit' ? await this.users.activeMembersOf(sectionIds, em) : new Map<number, SectionMemberRow[]>();
    const heads = entries.flatMap((e) => {
      const section = sections.get(e.sectionId);
      if (!section || section.headUserId === null || !section.headActive) return [];
      const writers = (members.get(e.sectionId) ?? []).filter(writesForSection).map((m) => m.id);
      return [{ id: e.id, headUserId: section.headUserId, writers }];
    });
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

  private async sectionWork(em: EntityManager, cycleIds: number[], onlyUserIds?: number[]): Promise<Map<number, number[]>> {
    // A send job's few recipients: only their own sections' entries are read, not every open entry of the cycles at each job.
    const own =
      onlyUserIds &&
      [...(await this.users.rows(onlyUserIds, em)).values()].flatMap((u) => (u.active && u.sectionId !== null && writesForSection(u) ? [u.sectionId] : []));
    const entries = await this.openEntries(em, cycleIds, SECTION_MUST_ACT, null, own);
    const members = await this.users.activeMembersOf(
      entries.map((e) => e.sectionId),
      em,
    );
    const only = onlyUserIds && new Set(onlyUserIds);
    const byUser = new Map<number, number[]>();
    for (const entry of entries) {
      for (const member of members.get(entry.sectionId) ?? []) {
        if (!writesForSection(member) || (only && !only.has(member.id))) continue;
        byUser.set(member.id, [...(byUser.get(member.id) ?? []), entry.id]);
      }
    }
    return new Map([...byUser].sort(([a], [b]) => a - b));
  }

  /** entry id -> who must approve it now, for the entries under review (with that deadline, if given). */
  private async approversOf(em: EntityManager, cycleIds: number[], reviewDeadline?: string): Promise<Map<number, number[]>> {
    const entries = await this.openEntries(em, cycleIds, APPROVER_MUST_ACT, reviewDeadline);
    return this.routing.pendingApprovers(
      em,
      entries.map((e) => e.id),
    );
  }
}
