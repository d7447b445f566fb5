import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '@app/config';
import { DomainEvent } from '@app/common';
import type { CycleOpenedEvent, EntryAwaitingReviewEvent, EntryReturnedEvent } from '@app/common';
import { reviewWait } from '@app/domain';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { UserDirectory, writesForSection } from '@app/org/directory/user-directory.service';
import type { EntityManager } from 'typeorm';
import type { PlannedSlot } from './reminder-plan';
import { lateOpeningNote, planCycleOpening } from './reminder-plan';
import { NoticeOutboxService } from './notices/notice-outbox.service';

/**
 * Writes the reminder outbox inside the transaction of the change that implies it, so a
 * cycle is never open without its reminders and a return never happens without its notice.
 * suppressErrors: false makes a failure here roll the change back instead of vanishing.
 */
@Injectable()
export class ReminderPlannerService {
  constructor(
    private readonly config: AppConfig,
    private readonly notices: NoticeOutboxService,
    private readonly cycles: CycleReads,
    private readonly entries: EntryReads,
    private readonly users: UserDirectory,
  ) {}

  /** The reminder slots and the 依頼 (at once, or at the next send hour for a cycle opened late). */
  @OnEvent(DomainEvent.CycleOpened, { suppressErrors: false })
  async onCycleOpened({ em, cycleId, notes }: CycleOpenedEvent): Promise<void> {
    const cycle = (await this.cycles.facts([cycleId], em)).get(cycleId);
    if (!cycle) return;
    const { slots, late } = planCycleOpening(cycle, cycle.reminderSchedule, this.config.REMINDER_HOUR, new Date());
    await this.notices.writeCycleRequest(em, cycleId, late?.requestAt ?? null);
    if (late) notes.push(lateOpeningNote(late, cycle.submissionDeadline));
    // Re-opening a cycle plans again; the unique key keeps the slots already there (and sent).
    await this.insertSlots(em, cycleId, slots);
  }

  /**
   * An entry starts waiting at a step (submitted, or passed on by the step before): its
   * approver's review reminders count from the cycle's review deadline, or from a minimum of
   * REVIEW_MIN_BUSINESS_DAYS after today when that is later (a cycle opened late, a late
   * submission). The wait is kept per entry, so the digest lists each entry under its own
   * deadline; slots another entry already planned for that deadline and hour are shared.
   */
  @OnEvent(DomainEvent.EntryAwaitingReview, { suppressErrors: false })
  async onEntryAwaitingReview({ em, entryId, cycleId }: EntryAwaitingReviewEvent): Promise<void> {
    const [entry] = await this.entries.refsByIds([entryId], em);
    const cycle = entry && (await this.cycles.facts([entry.cycleId], em)).get(entry.cycleId);
    if (!entry || !cycle) return;
    const now = new Date();
    const wait = reviewWait(now, cycle.reviewDeadline, cycle.reminderSchedule, this.config.REMINDER_HOUR, this.config.REVIEW_MIN_BUSINESS_DAYS);
    await em.query(
      `INSERT INTO review_waits (entry_id, cycle_id, entry_version, since, deadline, started_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (entry_id) DO UPDATE SET cycle_id = EXCLUDED.cycle_id, entry_version = EXCLUDED.entry_version,
              since = EXCLUDED.since, deadline = EXCLUDED.deadline, started_at = EXCLUDED.started_at`,
      [entryId, cycleId, entry.version, wait.since, wait.deadline, now],
    );
    await this.insertSlots(
      em,
      cycleId,
      wait.slots.map((s) => ({
        audience: 'review',
        kind: s.kind,
        deadline: wait.deadline,
        businessDaysFromDeadline: s.businessDaysFromDeadline,
        sendAt: s.sendAt,
      })),
    );
  }

  private async insertSlots(em: EntityManager, cycleId: number, slots: PlannedSlot[]): Promise<void> {
    if (slots.length === 0) return;
    await em.query(
      `INSERT INTO reminder_slots (cycle_id, audience, kind, deadline, business_days_from_deadline, send_at)
       SELECT $1, a, k, d::date, n, s FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[]) AS x(a, k, d, n, s)
       ON CONFLICT (cycle_id, audience, deadline, send_at) DO NOTHING`,
      [
        cycleId,
        slots.map((s) => s.audience),
        slots.map((s) => s.kind),
        slots.map((s) => s.deadline),
        slots.map((s) => s.businessDaysFromDeadline),
        slots.map((s) => s.sendAt.toISOString()),
      ],
    );
  }

  @OnEvent(DomainEvent.EntryReturned, { suppressErrors: false })
  async onEntryReturned(event: EntryReturnedEvent): Promise<void> {
    // Everyone who can edit the entry (the section's staff and chiefs), and its author wherever they are now.
    const [entry] = await this.entries.refsByIds([event.entryId], event.em);
    const writers = entry ? ((await this.users.activeMembersOf([entry.sectionId], event.em)).get(entry.sectionId) ?? []).filter(writesForSection) : [];
    const author = event.authorUserId === null ? undefined : (await this.users.rows([event.authorUserId], event.em)).get(event.authorUserId);
    const recipients = [...new Set([...writers.map((w) => w.id), ...(author?.active ? [author.id] : [])])].sort((a, b) => a - b);
    if (!recipients.length) return;
    await event.em.query(
      `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, entry_id, comment)
       SELECT r, 'returned', $2::text, now(), $3::int, $4::text FROM unnest($1::int[]) r
       ON CONFLICT (recipient_user_id, kind, slot_key) DO NOTHING`,
      [recipients, `entry-${event.entryId}-v${event.version}`, event.entryId, event.comment],
    );
  }
}
