import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { DOMAIN_ERROR_STATUS, DomainError, DomainEvent } from '@app/common';
import type { EntryActedForEvent, EntryAwaitingReviewEvent, EntryReturnedEvent, EntrySubmittingEvent, SubmittingEntry } from '@app/common';
import { Actor, coProgressText, EntryAction, entryAfterApproval, EntryState, FormField, hasRole, stepPassedNote } from '@app/domain';
import { EntriesService, Entry, LockedEntry } from '@app/entries';
import { ApprovalRoutingService, Authorized, withOptions } from './approval-routing.service';
import { ApprovalStep, coProgress, EntryRouting, fallbackNote, nextOpenStep, routeAheadNotes } from './domain/approval-route';
import { ApproveDto, BulkApproveItemDto, ReopenDto, ReturnDto, VersionDto } from './dto/approval-action.dto';

/**
 * Fields a return may comment on: the rating and every field of the form the entry's cycle
 * runs (custom fields included), by key, as the review panel offers them.
 */
function commentableFields(fields: readonly FormField[]): { key: string; label: string }[] {
  const rating = fields.some((f) => f.key === 'rating') ? [] : [{ key: 'rating', label: '評価' }];
  return [...rating, ...fields.map((f) => ({ key: f.key, label: f.label }))];
}

const STATUS = DOMAIN_ERROR_STATUS;

export interface BulkResult {
  id: number;
  ok: boolean;
  status: number;
  message: string;
}

interface Audited {
  actorUserId: number;
  onBehalfOfUserId?: number | null;
  acting?: boolean;
  comment?: string | null;
}

/**
 * The approver's side of an entry: approve, return (差戻し), withdraw, reopen. Each action
 * is one transaction: row lock and version check (EntriesService.lock), the transition
 * table, who may act, the change, its version row and its audit row.
 */
@Injectable()
export class ApprovalsService {
  private readonly logger = new Logger(ApprovalsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly routing: ApprovalRoutingService,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Moves the entry one step on (past a chief step its chief wrote); after the last step it is
   * accepted. At a 合議 step the approval is one party's (its own row and audit row): the entry
   * stays at the step until the step's rule (all, or any one) is met.
   */
  approve(id: number, dto: ApproveDto, actor: Actor): Promise<Entry> {
    return this.act(id, dto, actor, 'approve', async (em, locked, entry) => {
      const who = await this.routing.authorize(em, locked, actor);
      const route = locked.rules.approvalRoute;
      const step = route[entry.currentStep];
      const lines: (string | null | undefined)[] = [dto.comment];
      if (step?.kind === 'co_approval' && who.seat) {
        await em.query(`INSERT INTO co_approvals (entry_id, step, seat, user_id, acted_by) VALUES ($1, $2, $3, $4, $5)`, [
          id,
          entry.currentStep,
          who.seat.key,
          who.principalId,
          actor.id,
        ]);
        const seat = who.seat;
        const after = withOptions({
          ...who.routing,
          seats: (who.routing.seats ?? []).map((s) => (s.key === seat.key ? { ...s, approvedBy: who.principalId, actedBy: actor.id } : s)),
          approverIds: [...who.routing.approverIds, actor.id, who.principalId],
        });
        const progress = coProgress(after)!;
        lines.push(`${coProgressText(step.label, progress.approved, progress.required, step.co!.rule)}: ${seat.label}`);
        if (!progress.done) {
          entry.state = 'in_review';
          return this.asApprover(actor, who, lines.filter(Boolean).join('\n'));
        }
      }
      entry.state = this.afterApproval(entry.currentStep, route.length);
      lines.push(...(await this.settleStep(em, entry, route, entry.currentStep + 1, [actor.id, who.principalId], who.routing)));
      return this.asApprover(actor, who, lines.filter(Boolean).join('\n') || null);
    });
  }

  /**
   * Sets the submission's first step in the submit transaction (EntriesService emits the event
   * before it saves): a chief step the section's only chief wrote is passed, and the route says
   * which later steps are re-addressed (the evaluator wrote the sheet), in the audit row and on
   * the entry; a route passed entirely accepts the entry at once.
   */
  @OnEvent(DomainEvent.EntrySubmitting, { suppressErrors: false })
  async onSubmitting(event: EntrySubmittingEvent): Promise<void> {
    event.entry.routeNotes = [];
    const route = event.route as ApprovalStep[];
    // The lock read the rules and who the route names: only the audit log is asked here.
    const [authorUserId, lastEditedBy] = event.storedWriterIds ?? [null, null];
    const stored = event.place
      ? (
          await this.routing.lockedRouting(
            event.em,
            { ...event.entry, state: event.entry.state as EntryState, authorUserId, lastEditedBy },
            { route, options: event.options },
            event.place,
          )
        ).routing
      : (await this.routing.routing(event.em, [event.entry.id])).get(event.entry.id);
    event.notes.push(...(await this.settleStep(event.em, event.entry, route, 0, null, stored)));
  }

  /**
   * Puts the entry at the first step from `from` that waits for an approver, accepted when none
   * is left, and says why a step was passed and who takes a step the route re-addresses (at
   * submission, every step ahead; after an approval, the step now waiting). The notes go to the
   * audit row (returned) and to the entry's `routeNotes` (the inbox and the page show them).
   *
   * @param approvedBy who approved just now (actor and principal), or null at submission
   * @param stored the entry's routing as stored, read earlier in this transaction (before this change)
   */
  private async settleStep(
    em: EntityManager,
    entry: SubmittingEntry,
    route: readonly ApprovalStep[],
    from: number,
    approvedBy: number[] | null,
    stored: EntryRouting | undefined,
  ): Promise<string[]> {
    const notes: string[] = [];
    // A new round (or the step after an approval): no party of a 合議 step has approved yet.
    await clearCoApprovals(em, entry.id, route, from);
    // The routing as it will be once this change is saved (its audit row is not written yet).
    const nowAt = async (step: number) => {
      if (!stored) return null;
      const now = withOptions({
        ...stored,
        seats: undefined,
        state: (entry.state === 'accepted' ? 'in_review' : entry.state) as EntryState,
        currentStep: step,
        editorIds: [...stored.editorIds, ...[entry.authorUserId, entry.lastEditedBy].filter((x): x is number => x !== null)],
        approverIds: approvedBy ? [...stored.approverIds, ...approvedBy] : [],
      });
      await this.routing.attachSeats(em, [now]);
      return now;
    };
    // Everyone who wrote it, this change included.
    const writers = async () => [
      ...(stored?.editorIds ?? (await this.routing.factsOf(em, [entry.id])).get(entry.id)?.editorIds ?? []),
      ...[entry.authorUserId, entry.lastEditedBy].filter((x): x is number => x !== null),
    ];
    let step = from;
    for (;;) {
      // Only a chief step next in line can be passed by authorship: ask the database only then.
      const given = route[step]?.kind === 'section_chief' && (await this.routing.chiefStepGiven(em, entry, await writers()));
      const next = nextOpenStep(route, step, given);
      notes.push(...route.slice(step, next).map((s) => stepPassedNote(s.label)));
      step = next;
      if (route[step]?.kind !== 'co_approval') break;
      // A 合議 step none of whose parties may act (they wrote it, or approved before) is passed.
      const progress = coProgress((await nowAt(step))!);
      if (progress && !progress.done) {
        if (progress.passed.length) notes.push(`${route[step].label}: ${progress.passed.map((p) => p.label).join('・')}は承認できる人がいないため除外`);
        break;
      }
      notes.push(`${route[step].label}は承認できる相手がいないため省略`);
      step++;
    }
    entry.currentStep = step;
    if (entry.currentStep >= route.length) {
      entry.state = 'accepted';
      entry.acceptedAt = new Date();
    } else if (stored) {
      const now = (await nowAt(entry.currentStep))!;
      this.routing.settle(em, now);
      const ahead = approvedBy ? [fallbackNote(now)] : routeAheadNotes(now, entry.currentStep);
      notes.push(...ahead.filter((n): n is string => !!n));
    }
    entry.routeNotes = [...new Set([...(entry.routeNotes ?? []), ...notes])];
    return notes;
  }

  /** Sends the entry back to its section with a required comment; the route starts again. */
  returnEntry(id: number, dto: ReturnDto, actor: Actor): Promise<Entry> {
    const comment = requiredText('comment', dto.comment, '差戻しの理由を入力してください');
    return this.act(id, dto, actor, 'return', async (em, locked, entry) => {
      const fieldComments = this.fieldComments(dto.fieldComments, locked.rules.fields);
      const who = await this.routing.authorize(em, locked, actor);
      entry.state = 'returned';
      entry.currentStep = 0;
      entry.routeNotes = [];
      // A return by any party of a 合議 step resets the step: every party approves again.
      await clearCoApprovals(em, id, locked.rules.approvalRoute);
      entry.returnComment = comment;
      entry.returnFieldComments = fieldComments;
      // The reminders outbox writes the author's notice in this same transaction (version is the one after this change).
      await this.events.emitAsync(DomainEvent.EntryReturned, {
        em,
        entryId: id,
        authorUserId: entry.authorUserId,
        returnedByUserId: actor.id,
        comment,
        version: entry.version + 1,
      } satisfies EntryReturnedEvent);
      return this.asApprover(actor, who, comment);
    });
  }

  /** The section takes a submission back before anyone approved it. */
  withdraw(id: number, dto: VersionDto, actor: Actor): Promise<Entry> {
    return this.act(id, dto, actor, 'withdraw', async (em, locked, entry, to) => {
      if (actor.sectionId !== entry.sectionId || !hasRole(actor, 'staff', 'chief')) {
        throw DomainError.forbidden('取下げできるのは所管課の職員・課長のみです');
      }
      // Only a 'submitted' entry can be withdrawn (the table): once approved it is 'in_review'.
      entry.state = to as EntryState;
      entry.currentStep = 0;
      entry.routeNotes = [];
      await clearCoApprovals(em, id, locked.rules.approvalRoute);
      return { actorUserId: actor.id };
    });
  }

  /** Planning reopens a closed matter: accepted → returned (with the reason shown to the section), 未提出 → draft. */
  reopen(id: number, dto: ReopenDto, actor: Actor): Promise<Entry> {
    if (!hasRole(actor, 'planning')) throw DomainError.forbidden('再開できるのは企画担当のみです');
    const reason = requiredText('reason', dto.reason, '再開の理由を入力してください');
    return this.act(id, dto, actor, 'reopen', async (em, locked, entry, to) => {
      entry.state = to as EntryState;
      entry.currentStep = 0;
      entry.acceptedAt = null;
      entry.routeNotes = [];
      await clearCoApprovals(em, id, locked.rules.approvalRoute);
      if (entry.state === 'returned') {
        entry.returnComment = reason;
        entry.returnFieldComments = null;
      }
      return { actorUserId: actor.id, comment: reason };
    });
  }

  /** Each entry in its own transaction; one refusal never undoes the others. */
  async bulkApprove(items: BulkApproveItemDto[], actor: Actor): Promise<BulkResult[]> {
    const results: BulkResult[] = [];
    for (const item of items) {
      try {
        await this.approve(item.id, { version: item.version }, actor);
        results.push({ id: item.id, ok: true, status: 200, message: '承認しました' });
      } catch (error) {
        if (error instanceof DomainError) {
          results.push({ id: item.id, ok: false, status: STATUS[error.kind], message: error.message });
        } else {
          this.logger.error(`bulk approve of entry ${item.id} failed: ${(error as Error).stack}`);
          results.push({ id: item.id, ok: false, status: 500, message: 'サーバー内部エラーが発生しました' });
        }
      }
    }
    return results;
  }

  /**
   * The shared frame of every action: lock + version check, transition table, the action's
   * own rules and change (`apply`, which returns who to audit), then version row and audit row.
   */
  private act(
    id: number,
    dto: VersionDto,
    actor: Actor,
    action: EntryAction,
    apply: (em: EntityManager, locked: LockedEntry, entry: Entry, to: EntryState | 'by_route') => Promise<Audited>,
  ): Promise<Entry> {
    return this.dataSource.transaction(async (em) => {
      const locked = await this.entries.lock(em, id, dto.version, actor);
      const rule = this.entries.transition(locked.entry, action);
      const before = em.create(Entry, { ...locked.entry });
      const entry = locked.entry;
      const audited = await apply(em, locked, entry, rule.to);
      entry.version += 1;
      // The row, its version row and its audit row in one statement (one round trip).
      const saved = await this.entries.writeChange(em, before, entry, action, audited);
      if (audited.acting && audited.onBehalfOfUserId && (action === 'approve' || action === 'return')) {
        // 後閲: the principal hears of what was done in their name, in this transaction's outbox.
        await this.events.emitAsync(DomainEvent.EntryActedFor, {
          em,
          entryId: id,
          action,
          actorUserId: actor.id,
          principalUserId: audited.onBehalfOfUserId,
          stepLabel: locked.rules.approvalRoute[before.currentStep]?.label ?? '',
          comment: audited.comment ?? null,
          version: saved.version,
        } satisfies EntryActedForEvent);
      }
      // Only when the entry reached another step: a 合議 party's approval leaves the others already told.
      if (action === 'approve' && saved.state === 'in_review' && saved.currentStep !== before.currentStep) {
        await this.events.emitAsync(DomainEvent.EntryAwaitingReview, { em, entryId: id, cycleId: saved.cycleId } satisfies EntryAwaitingReviewEvent);
      }
      return saved;
    });
  }

  private asApprover(actor: Actor, who: Pick<Authorized, 'principalId' | 'acting'>, comment?: string | null): Audited {
    return {
      actorUserId: actor.id,
      onBehalfOfUserId: who.acting ? who.principalId : null,
      acting: who.acting,
      comment: comment ?? null,
    };
  }

  private afterApproval(step: number, stepCount: number): EntryState {
    try {
      return entryAfterApproval(step, stepCount);
    } catch (error) {
      throw DomainError.conflict((error as Error).message, { field: 'currentStep', currentStep: step });
    }
  }

  private fieldComments(input: Record<string, unknown> | undefined, fields: readonly FormField[]): Record<string, string> | null {
    if (!input) return null;
    const commentable = commentableFields(fields);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(input)) {
      if (!commentable.some((f) => f.key === key)) {
        const names = commentable.map((f) => `${f.label}(${f.key})`).join('、');
        throw DomainError.invalid(`fieldComments.${key}`, `項目「${key}」はこの様式にありません。コメントできる項目は ${names} です`);
      }
      if (typeof value !== 'string' || value.length > 4000) {
        throw DomainError.invalid(`fieldComments.${key}`, '4000文字以内の文字列で入力してください');
      }
      if (value.trim()) out[key] = value.trim();
    }
    return Object.keys(out).length ? out : null;
  }
}

/**
 * Clears the 合議 approvals of the entry's steps from `from` on (a new round, or the step after an
 * approval). Rows exist only at 合議 steps, and a cycle's route never changes once open, so a route
 * without a 合議 step from there on has none to clear: no round trip.
 */
async function clearCoApprovals(em: EntityManager, entryId: number, route: readonly { kind: string }[], from = 0): Promise<void> {
  if (!route.slice(from).some((s) => s.kind === 'co_approval')) return;
  await em.query(`DELETE FROM co_approvals WHERE entry_id = $1 AND step >= $2`, [entryId, from]);
}

function requiredText(field: string, value: string | undefined, message: string): string {
  const text = value?.trim();
  if (!text) throw DomainError.invalid(field, message);
  return text;
}
