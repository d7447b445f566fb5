import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { DOMAIN_ERROR_STATUS, DomainError, DomainEvent } from '@app/common';
import type { EntryActedForEvent, EntryAwaitingReviewEvent, EntryReturnedEvent, EntrySubmittingEvent, SubmittingEntry } from '@app/common';
import { Actor, EntryAction, entryAfterApproval, EntryState, FormField, hasRole, stepPassedNote } from '@app/domain';
import { EntriesService, Entry, LockedEntry } from '@app/entries';
import { ApprovalRoutingService, withOptions } from './approval-routing.service';
import { ApprovalStep, fallbackNote, nextOpenStep, routeAheadNotes } from './domain/approval-route';
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

  /** Moves the entry one step on (past a chief step its chief wrote); after the last step it is accepted. */
  approve(id: number, dto: ApproveDto, actor: Actor): Promise<Entry> {
    return this.act(id, dto, actor, 'approve', async (em, locked, entry) => {
      const who = await this.routing.authorize(em, id, actor);
      const route = locked.rules.approvalRoute;
      entry.state = this.afterApproval(entry.currentStep, route.length);
      const notes = await this.settleStep(em, entry, route, entry.currentStep + 1, [actor.id, who.principalId]);
      return this.asApprover(actor, who, [dto.comment, ...notes].filter(Boolean).join('\n') || null);
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
    event.notes.push(...(await this.settleStep(event.em, event.entry, event.route as ApprovalStep[], 0, null)));
  }

  /**
   * Puts the entry at the first step from `from` that waits for an approver, accepted when none
   * is left, and says why a step was passed and who takes a step the route re-addresses (at
   * submission, every step ahead; after an approval, the step now waiting). The notes go to the
   * audit row (returned) and to the entry's `routeNotes` (the inbox and the page show them).
   *
   * @param approvedBy who approved just now (actor and principal), or null at submission
   */
  private async settleStep(
    em: EntityManager,
    entry: SubmittingEntry,
    route: readonly ApprovalStep[],
    from: number,
    approvedBy: number[] | null,
  ): Promise<string[]> {
    // Only a chief step next in line can be passed: ask the database only then.
    const given = route[from]?.kind === 'section_chief' && (await this.routing.chiefStepGiven(em, entry, [entry.authorUserId, entry.lastEditedBy]));
    entry.currentStep = nextOpenStep(route, from, given);
    const notes = route.slice(from, entry.currentStep).map((s) => stepPassedNote(s.label));
    if (entry.currentStep >= route.length) {
      entry.state = 'accepted';
      entry.acceptedAt = new Date();
    } else {
      const stored = (await this.routing.routing(em, [entry.id])).get(entry.id);
      if (stored) {
        // The routing as it will be once this change is saved (its audit row is not written yet).
        const now = withOptions({
          ...stored,
          state: entry.state as EntryState,
          currentStep: entry.currentStep,
          editorIds: [...stored.editorIds, ...[entry.authorUserId, entry.lastEditedBy].filter((x): x is number => x !== null)],
          approverIds: approvedBy ? [...stored.approverIds, ...approvedBy] : [],
        });
        const ahead = approvedBy ? [fallbackNote(now)] : routeAheadNotes(now, entry.currentStep);
        notes.push(...ahead.filter((n): n is string => !!n));
      }
    }
    entry.routeNotes = [...new Set([...(entry.routeNotes ?? []), ...notes])];
    return notes;
  }

  /** Sends the entry back to its section with a required comment; the route starts again. */
  returnEntry(id: number, dto: ReturnDto, actor: Actor): Promise<Entry> {
    const comment = requiredText('comment', dto.comment, '差戻しの理由を入力してください');
    return this.act(id, dto, actor, 'return', async (em, locked, entry) => {
      const fieldComments = this.fieldComments(dto.fieldComments, locked.rules.fields);
      const who = await this.routing.authorize(em, id, actor);
      entry.state = 'returned';
      entry.currentStep = 0;
      entry.routeNotes = [];
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
    return this.act(id, dto, actor, 'withdraw', async (_em, _locked, entry, to) => {
      if (actor.sectionId !== entry.sectionId || !hasRole(actor, 'staff', 'chief')) {
        throw DomainError.forbidden('取下げできるのは所管課の職員・課長のみです');
      }
      // Only a 'submitted' entry can be withdrawn (the table): once approved it is 'in_review'.
      entry.state = to as EntryState;
      entry.currentStep = 0;
      entry.routeNotes = [];
      return { actorUserId: actor.id };
    });
  }

  /** Planning reopens a closed matter: accepted → returned (with the reason shown to the section), 未提出 → draft. */
  reopen(id: number, dto: ReopenDto, actor: Actor): Promise<Entry> {
    if (!hasRole(actor, 'planning')) throw DomainError.forbidden('再開できるのは企画担当のみです');
    const reason = requiredText('reason', dto.reason, '再開の理由を入力してください');
    return this.act(id, dto, actor, 'reopen', async (_em, _locked, entry, to) => {
      entry.state = to as EntryState;
      entry.currentStep = 0;
      entry.acceptedAt = null;
      entry.routeNotes = [];
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
      const saved = await this.entries.persist(em, entry);
      await this.entries.recordChange(em, before, saved, action, audited);
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
      if (action === 'approve' && saved.state === 'in_review') {
        await this.events.emitAsync(DomainEvent.EntryAwaitingReview, { em, entryId: id, cycleId: saved.cycleId } satisfies EntryAwaitingReviewEvent);
      }
      return saved;
    });
  }

  private asApprover(actor: Actor, who: { principalId: number; acting: boolean }, comment?: string | null): Audited {
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

function requiredText(field: string, value: string | undefined, message: string): string {
  const text = value?.trim();
  if (!text) throw DomainError.invalid(field, message);
  return text;
}
