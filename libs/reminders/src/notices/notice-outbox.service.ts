import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { OnEvent } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { DomainEvent } from '@app/common';
import type {
  AccountLockedEvent,
  CycleStateChangedEvent,
  DelegationEvent,
  DelegationRecordedEvent,
  EntryActedForEvent,
  EntryAwaitingReviewEvent,
} from '@app/common';
import { ApprovalRoutingService } from '@app/approvals';
import { DelegationLookupService } from '@app/approvals/delegation-lookup.service';
import { AppConfig } from '@app/config';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import { UserDirectory, writesForSection } from '@app/org/directory/user-directory.service';
import { ItemReads } from '@app/plan-items/reads/item-reads.service';
import { itemNumberLabel } from '@app/plan-items/reads/item-labels';
import { APPROVER_MUST_ACT, SECTION_MUST_ACT } from '../pending-work.service';
import { tokyoToday } from '@app/domain';
import { japaneseDate } from '../reminder-plan';
import type { CycleNotice, NoticePayload, StuckNotice } from './notice-payload';

import {
  accountLockedNotice,
  actedForNotice,
  delegationConfirmedNotice,
  DelegationFacts,
  delegationGrantedNotice,
  delegationRequestNotice,
} from './notice-texts';

/** Audit action of entries nobody can approve when nobody (planning, administrators) can be told either. */
export const STUCK_UNROUTED = 'notice.stuck_unrouted';

/**
 * Writes notice mails (kind 'notice') into the outbox in the transaction of the change that
 * causes them, so a notice is sent if and only if its change committed, and once: the slot key
 * names the event (`acted-<entry>-v<version>`, `delegation-<id>-<what>`).
 */
@Injectable()
export class NoticeOutboxService {
  private readonly logger = new Logger(NoticeOutboxService.name);

  constructor(
    private readonly routing: ApprovalRoutingService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly users: UserDirectory,
    private readonly sections: SectionDirectory,
    private readonly cycles: CycleReads,
    private readonly delegationLookup: DelegationLookupService,
  ) {}

  /**
   * 依頼: everyone who writes for a section with entries to write hears of it when the cycle
   * opens (`at` null: now), or at the next send hour for a cycle opened late (ReminderPlannerService).
   */
  async writeCycleRequest(em: EntityManager, cycleId: number, at: Date | null): Promise<void> {
    await this.writeToSectionWriters(em, cycleId, `cycle-${cycleId}-request`, { type: 'cycle_request', cycleId }, SECTION_MUST_ACT, at);
  }

  /**
   * 承認依頼: whoever holds the step the entry now waits at, and their delegates. One mail per
   * person and cycle per NOTICE_BATCH_SECONDS: a chief approving 50 entries at once sends the
   * evaluator one mail listing them, composed when sent.
   */
  @OnEvent(DomainEvent.EntryAwaitingReview, { suppressErrors: false })
  async onAwaitingReview(event: EntryAwaitingReviewEvent): Promise<void> {
    const approvers = (await this.routing.pendingApprovers(event.em, [event.entryId])).get(event.entryId) ?? [];
    if (!approvers.length) return this.escalateStuck(event.em, event.cycleId, [event.entryId]);
    const recipients = [...new Set([...approvers, ...(await this.routing.delegatesOf(event.em, approvers, event.cycleId))])];
    if (!recipients.length) return;
    const window = this.config.NOTICE_BATCH_SECONDS * 1000;
    const bucket = Math.floor(Date.now() / window);
    await event.em.query(
      `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, payload)
       SELECT r, 'notice', $2, $3, $4::jsonb FROM unnest($1::int[]) r
       ON CONFLICT (recipient_user_id, kind, slot_key) DO NOTHING`,
      [
        recipients,
        `review-${event.cycleId}-${bucket}`,
        new Date((bucket + 1) * window),
        JSON.stringify({ type: 'review_request', cycleId: event.cycleId } satisfies CycleNotice),
      ],
    );
  }

  /**
   * Entries of the cycle that wait at a step nobody can hold go to the planning division, each
   * entry once per state it is in (its version): run when an entry starts waiting and at each
   * send hour of the cycle (a post that fell vacant since). One mail per planner and cycle per
   * NOTICE_BATCH_SECONDS, composed when sent from what is still stuck then.
   */
  async escalateStuck(em: EntityManager, cycleId: number, entryIds: number[] | null = null): Promise<void> {
    // Given entries (one that just started waiting): only those, not the whole cycle.
    const candidates = entryIds ? await this.entries.refsByIds(entryIds, em) : await this.entries.refsOfCycles([cycleId], { states: APPROVER_MUST_ACT }, em);
    const waiting = candidates.filter((e) => e.cycleId === cycleId && APPROVER_MUST_ACT.includes(e.state));
    if (!waiting.length) return;
    const approvers = await this.routing.pendingApprovers(
      em,
      waiting.map((e) => e.id),
    );
    const stuck = waiting.filter((e) => approvers.get(e.id)?.length === 0).map((e) => `${e.id}-v${e.version}`);
    if (!stuck.length) return;
    // Told before (by mail, or recorded as told to nobody): once per entry and state.
    const mailed: { ref: string }[] = await em.query(
      `SELECT DISTINCT ref FROM reminder_mails m, jsonb_array_elements_text(m.payload -> 'entries') ref
        WHERE m.kind = 'notice' AND m.payload ->> 'type' = 'stuck_entries' AND m.payload ->> 'cycleId' = $1::text AND ref = ANY($2)`,
      [cycleId, stuck],
    );
    const known = new Set([...mailed.map((m) => m.ref), ...(await this.audit.listedIn(em, 'cycle', cycleId, STUCK_UNROUTED, 'entries', stuck))]);
    const fresh = stuck.filter((r) => !known.has(r));
    if (!fresh.length) return;
    // Planning owns the cycles; with no active planner the administrators (who can appoint one) hear of it instead.
    const planners = await this.users.activeIdsWithRole('planning', true, em);
    const recipients = planners.length ? planners : await this.users.activeIdsWithRole('admin', true, em);
    if (!recipients.length) {
      await this.audit.record(em, {
        actorUserId: null,
        action: STUCK_UNROUTED,
        subjectType: 'cycle',
        subjectId: cycleId,
        after: { entries: fresh, reason: '企画担当・管理者の有効な利用者（メールアドレスのある）がいないため、通知できません' },
      });
      this.logger.warn(`cycle ${cycleId}: entries nobody can approve (${fresh.join(', ')}) and no planner or administrator to tell`);
      return;
    }
    const window = this.config.NOTICE_BATCH_SECONDS * 1000;
    const bucket = Math.floor(Date.now() / window);
    const payload: StuckNotice = { type: 'stuck_entries', cycleId, entries: fresh, ...(planners.length ? {} : { toAdmins: true }) };
    // A mail of this window not yet on its way takes the new entries too.
    await em.query(
      `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, payload)
       SELECT r, 'notice', $1, $2, $3::jsonb FROM unnest($4::int[]) r
       ON CONFLICT (recipient_user_id, kind, slot_key) DO UPDATE
          SET payload = jsonb_set(reminder_mails.payload, '{entries}', (reminder_mails.payload -> 'entries') || (EXCLUDED.payload -> 'entries'))
        WHERE reminder_mails.status = 'pending'`,
      [`stuck-${cycleId}-${bucket}`, new Date((bucket + 1) * window), JSON.stringify(payload), recipients],
    );
  }

  /** The sections of a cycle hear that it closed (and what of theirs was left unsubmitted) or reopened (and why). */
  @OnEvent(DomainEvent.CycleStateChanged, { suppressErrors: false })
  async onCycleStateChanged(event: CycleStateChangedEvent): Promise<void> {
    const { version } = (await this.cycles.facts([event.cycleId], event.em)).get(event.cycleId)!;
    await this.writeToSectionWriters(event.em, event.cycleId, `cycle-${event.cycleId}-${event.action}-v${version}`, {
      type: 'cycle_state',
      cycleId: event.cycleId,
      action: event.action,
      reason: event.reason,
    });
  }
  @OnEvent(DomainEvent.EntryActedFor, { suppressErrors: false })
  async onActedFor(event: EntryActedForEvent): Promise<void> {
    const facts = await this.actedForFacts(event.em, event.entryId, event.actorUserId);
    const payload = actedForNotice({
      ...facts,
      action: event.action,
      stepLabel: event.stepLabel,
      atText: `${japaneseDate(facts.at)} ${facts.atTime}`,
      comment: event.comment,
      entryId: event.entryId,
    });
    await this.write(event.em, event.principalUserId, `acted-${event.entryId}-v${event.version}`, payload, event.entryId);
  }

  /** The locked user is told (once per lock: the slot key is the moment it locked). */
  @OnEvent(DomainEvent.AccountLocked, { suppressErrors: false })
  async onAccountLocked(event: AccountLockedEvent): Promise<void> {
    const user = (await this.users.mailable([event.userId], event.em)).get(event.userId);
    if (!user) return;
    await this.write(event.em, event.userId, `locked-${event.at.toISOString()}`, accountLockedNotice({ ...event, login: user.login }));
  }

  @OnEvent(DomainEvent.DelegationRecorded, { suppressErrors: false })
  async onRecorded(event: DelegationRecordedEvent): Promise<void> {
    const d = await this.facts(event.em, event.delegationId);
    if (event.needsConfirmation) {
      await this.write(event.em, d.fromUserId, `delegation-${event.delegationId}-request`, delegationRequestNotice(d));
    } else {
      await this.write(event.em, d.toUserId, `delegation-${event.delegationId}-granted`, delegationGrantedNotice(d));
    }
  }

  @OnEvent(DomainEvent.DelegationConfirmed, { suppressErrors: false })
  async onConfirmed(event: DelegationEvent): Promise<void> {
    const d = await this.facts(event.em, event.delegationId);
    await this.write(event.em, d.toUserId, `delegation-${event.delegationId}-granted`, delegationGrantedNotice(d));
    if (event.actorUserId !== d.fromUserId) {
      const { name } = (await this.users.rows([event.actorUserId], event.em)).get(event.actorUserId)!;
      await this.write(event.em, d.fromUserId, `delegation-${event.delegationId}-confirmed`, delegationConfirmedNotice({ ...d, confirmerName: name }));
    }
  }

  private async facts(em: EntityManager, id: number): Promise<DelegationFacts & { fromUserId: number; toUserId: number }> {
    const d = (await this.delegationLookup.delegationFacts(id, em))!;
    const users = await this.users.rows([d.fromUserId, d.toUserId, ...(d.createdBy === null ? [] : [d.createdBy])], em);
    const cycle = d.cycleId === null ? undefined : (await this.cycles.facts([d.cycleId], em)).get(d.cycleId);
    const principalName = users.get(d.fromUserId)!.name;
    const row = {
      fromUserId: d.fromUserId,
      toUserId: d.toUserId,
      principalName,
      delegateName: users.get(d.toUserId)!.name,
      recorderName: (d.createdBy === null ? undefined : users.get(d.createdBy)?.name) ?? principalName,
      startsOn: d.startsOn,
      endsOn: d.endsOn,
      cycleLabel: cycle?.label ?? null,
      stepKind: d.stepKind,
      reason: d.reason,
    };
    return { ...row, today: tokyoToday() };
  }

  /** One notice to every writer (staff, chief) of each section with entries of the cycle (in `states`, when given). */
  private async writeToSectionWriters(
    em: EntityManager,
    cycleId: number,
    slotKey: string,
    payload: CycleNotice,
    states: readonly string[] | null = null,
    at: Date | null = null,
  ): Promise<void> {
    const sectionIds = (await this.entries.refsOfCycles([cycleId], { states: states ?? undefined }, em)).map((e) => e.sectionId);
    const members = await this.users.activeMembersOf(sectionIds, em);
    const recipients = [
      ...new Set(
        [...members.values()]
          .flat()
          .filter(writesForSection)
          .map((m) => m.id),
      ),
    ].sort((a, b) => a - b);
    if (!recipients.length) return;
    await em.query(
      `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, payload)
       SELECT r, 'notice', $2::text, COALESCE($4::timestamptz, now()), $3::jsonb FROM unnest($1::int[]) r
       ON CONFLICT (recipient_user_id, kind, slot_key) DO NOTHING`,
      [recipients, slotKey, JSON.stringify(payload), at],
    );
  }

  /** What a 後閲 notice says of the entry acted on: the actor, the item, the section, the cycle and when (Tokyo). */
  private async actedForFacts(em: EntityManager, entryId: number, actorUserId: number) {
    const [entry] = await this.entries.refsByIds([entryId], em);
    const item = (await this.items.labels([entry.itemId], em)).get(entry.itemId)!;
    const section = (await this.sections.withDepartments([entry.sectionId], em)).get(entry.sectionId)!;
    const cycle = (await this.cycles.facts([entry.cycleId], em)).get(entry.cycleId)!;
    const actor = (await this.users.rows([actorUserId], em)).get(actorUserId)!;
    const tokyo = new Date(Date.now() + 9 * 3600_000).toISOString();
    return {
      actorName: actor.name,
      itemLabel: itemNumberLabel(item),
      title: item.title,
      sectionName: section.name,
      cycleLabel: cycle.label,
      at: tokyo.slice(0, 10),
      atTime: tokyo.slice(11, 16),
    };
  }

  private async write(em: EntityManager, recipientUserId: number, slotKey: string, payload: NoticePayload, entryId: number | null = null): Promise<void> {
    await em.query(
      `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, entry_id, payload)
       VALUES ($1, 'notice', $2, now(), $3, $4)
       ON CONFLICT (recipient_user_id, kind, slot_key) DO NOTHING`,
      [recipientUserId, slotKey, entryId, JSON.stringify(payload)],
    );
  }
}
