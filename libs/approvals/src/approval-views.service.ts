import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  coProgressText,
  delegationPeriodText,
  delegationScopeText,
  ENTRY_STATE_LABELS,
  entryActionsFor,
  EntryState,
  hasRole,
  isBuiltinEntryKey,
} from '@app/domain';
import { CycleReads } from '@app/cycles';
import { canReadEntry, canWriteEntry, editableSnapshot, EntriesService, EntryReads } from '@app/entries';
import { DomainError } from '@app/common';
import { ApprovalRoutingService } from './approval-routing.service';
import { coProgress, decideApprover, EntryRouting, fallbackNote, pendingStep } from './domain/approval-route';

/** An inbox row's sort key: review deadline, cycle, section name, section, item number, sub number, entry. */
type InboxKey = [reviewDeadline: string, cycleId: number, sectionName: string, sectionId: number, itemNumber: number, itemSubNumber: string, id: number];

/** The inbox's order (text by code point, as the database's C collation sorted it). */
function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** Entries per inbox page unless the caller asks otherwise. */
export const INBOX_PAGE_SIZE = 50;

const RATING_LABEL = '評価';

/** What approvers read: their inbox, the diff of an entry, and the audit export of a cycle. */
@Injectable()
export class ApprovalViewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly routing: ApprovalRoutingService,
    private readonly entryReads: EntryReads,
    private readonly cycleReads: CycleReads,
  ) {}

  /**
   * One page of the entries waiting for me, directly or through a delegation active today,
   * grouped by cycle and section, in the order review deadline, cycle, section name, item
   * number. `total` counts every waiting entry, each group's `count` all of its entries (on
   * this page or not); `nextCursor` asks for the page after this one (null on the last).
   */
  async inbox(actor: Actor, page: { limit?: number; cursor?: string } = {}) {
    const em = this.dataSource.manager;
    const limit = page.limit ?? INBOX_PAGE_SIZE;
    const after = page.cursor ? parseCursor(page.cursor) : null;
    const { delegations, principals, today } = await this.routing.delegatorsOf(em, actor.id);
    const me = { ...actor, active: true };
    // The caller, then each active principal: whose positions bring entries in.
    const holders = [me, ...principals.filter((p) => p.active && p.id !== me.id)];
    const { cycles, rows: candidates } = await this.routing.inboxCandidates(em, holders);
    // The one rule (decideApprover, as approve applies it) decides each candidate, and for whom.
    const mine = candidates
      .map((c) => ({ ...c, decision: decideApprover(me, c.routing, principals, delegations, today) }))
      .filter((c) => c.decision.allowed)
      .map((c) => {
        const key: InboxKey = [
          cycles.get(c.routing.cycleId)!.reviewDeadline,
          c.routing.cycleId,
          c.section.name,
          c.section.id,
          c.item.number,
          c.item.subNumber,
          c.routing.entryId,
        ];
        return { ...c, key };
      })
      .sort((a, b) => compareKeys(a.key, b.key));
    const counts = new Map<string, number>();
    for (const c of mine) {
      for (const k of [`${c.routing.cycleId}`, `${c.routing.cycleId}:${c.section.id}`]) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const from = after ? mine.findIndex((c) => compareKeys(c.key, after) > 0) : 0;
    const rest = from < 0 ? [] : mine.slice(from);
    const pageRows = rest.slice(0, limit);
    const more = rest.length > limit;
    const stored = await this.entryReads.byIds(
      pageRows.map((c) => c.routing.entryId),
      em,
    );
    const groups = new Map<number, { cycleId: number; cycleLabel: string; count: number; sections: Map<number, ReturnType<typeof sectionGroup>> }>();
    for (const { routing, item, section, decision } of pageRows) {
      const entry = stored.get(routing.entryId);
      // Moved on since the decision (another approver acted in between): its new step was not
      // decided for this reader, and its new version would pass approve's version check.
      if (!entry || !decision.allowed || entry.state !== routing.state || entry.currentStep !== routing.currentStep) continue;
      const principal = decision.acting ? principals.find((p) => p.id === decision.principalId)! : null;
      const heading = cycles.get(routing.cycleId)!;
      const cycle = groups.get(routing.cycleId) ?? {
        cycleId: routing.cycleId,
        cycleLabel: heading.label,
        count: counts.get(`${routing.cycleId}`)!,
        sections: new Map(),
      };
      groups.set(routing.cycleId, cycle);
      const group = cycle.sections.get(section.id) ?? sectionGroup(section.id, section.name, counts.get(`${routing.cycleId}:${section.id}`)!);
      cycle.sections.set(section.id, group);
      group.entries.push({
        id: entry.id,
        cycleId: routing.cycleId,
        cycleLabel: heading.label,
        sectionId: section.id,
        sectionName: section.name,
        itemId: item.id,
        itemNumber: item.number,
        itemSubNumber: item.subNumber,
        itemTitle: item.title,
        state: entry.state,
        currentStep: entry.currentStep,
        stepLabel: routing.route[routing.currentStep]?.label ?? null,
        rating: entry.rating,
        version: entry.version,
        submittedAt: entry.submittedAt,
        reviewDeadline: heading.reviewDeadline,
        stateLabel: ENTRY_STATE_LABELS[entry.state],
        acting: decision.acting,
        onBehalfOf: principal ? { userId: principal.id, name: principal.name } : null,
        // Why the route looks as it does: steps passed at submission, the step re-addressed now.
        ...notesOf(entry.routeNotes, fallbackNote(routing)),
        stepText: stepText(routing),
      });
    }
    const last = more ? pageRows[pageRows.length - 1] : null;
    return {
      // An empty page after a cursor: what followed it was approved or returned meanwhile.
      total: mine.length,
      limit,
      nextCursor: last ? cursorOf(last.key) : null,
      // 代決（経営企画部長）12/1〜12/4: what the caller may approve for whom, until when.
      delegations: delegations.map((d) => {
        const p = principals.find((u) => u.id === d.fromUserId);
        return {
          principalUserId: d.fromUserId,
          principalName: p?.name ?? '',
          principalPost: p?.post ?? null,
          startsOn: d.startsOn,
          endsOn: d.endsOn,
          periodText: delegationPeriodText(d, today),
          scopeText: delegationScopeText({ cycleLabel: d.cycleLabel, stepKind: d.stepKind ?? null }),
        };
      }),
      groups: [...groups.values()].map((g) => ({ cycleId: g.cycleId, cycleLabel: g.cycleLabel, count: g.count, sections: [...g.sections.values()] })),
    };
  }

  /**
   * What the caller may do with the entry now, and, when it is their turn to approve, the step
   * and on whose behalf: the UI draws its buttons from this and holds no rule of its own.
   * 403 for a caller who may neither read nor approve it.
   */
  async actions(id: number, actor: Actor) {
    const em = this.dataSource.manager;
    const routing = (await this.routing.routing(em, [id])).get(id);
    if (!routing) throw DomainError.notFound('エントリー', id);
    const { delegations, principals, today } = await this.routing.delegatorsOf(em, actor.id);
    const decision = decideApprover({ ...actor, active: true }, routing, principals, delegations, today);
    const { scope, cycleState } = await this.entries.placeOf(id, em);
    // Whoever decided it keeps reading it (ApproverReadGrant): a 合議 party after approving, a delegate after 代決.
    if (!decision.allowed && !canReadEntry(actor, scope) && !(await this.routing.hasDecided(em, id, actor.id))) {
      throw DomainError.forbidden('このエントリーを閲覧する権限がありません');
    }
    const open = cycleState === 'open';
    const actions = entryActionsFor(routing.state, {
      author: open && canWriteEntry(actor, scope),
      approver: open && decision.allowed,
      planning: open && hasRole(actor, 'planning'),
    });
    const principal = decision.allowed && decision.acting ? principals.find((p) => p.id === decision.principalId) : undefined;
    const step = pendingStep(routing);
    return {
      entryId: id,
      state: routing.state,
      actions,
      // Where the route stands, for everyone who may read the entry: the step, and at a 合議 step each party.
      step: step
        ? {
            kind: step.kind,
            label: step.label,
            text: stepText(routing),
            parties: (routing.seats ?? []).map((s) => ({ label: s.label, approved: s.approvedBy !== null })),
          }
        : null,
      approval: decision.allowed
        ? {
            stepLabel: routing.route[routing.currentStep]?.label ?? '',
            acting: decision.acting,
            onBehalfOf: principal ? { userId: principal.id, name: principal.name } : null,
          }
        : null,
    };
  }

  /**
   * The evaluator's view: each field now, in the version approvers last reviewed (or, on a
   * first submission, the last earlier version that differs), and in the previous cycle.
   */
  async diff(id: number, actor: Actor) {
    const { entry } = await this.entries.getForActor(id, actor);
    // Every entry field of the cycle's form, in its order; the rating first unless the form places it.
    const formFields = ((await this.cycleReads.formOf(entry.cycleId)) ?? []).filter((f) => f.scope === 'entry');
    const defs = formFields.some((f) => f.type === 'rating')
      ? formFields
      : [{ key: 'rating', label: RATING_LABEL, type: 'rating' as const, scope: 'entry' as const }, ...formFields];
    const fields = defs.map((f) => f.key);
    const pick = (data: Record<string, unknown> | null | undefined, key: string): unknown =>
      !data ? null : isBuiltinEntryKey(key) ? data[key] : ((data.values as Record<string, unknown> | undefined)?.[key] ?? null);
    const current = editableSnapshot(entry) as Record<string, unknown>;
    const versions = await this.entryReads.versionsBefore(id, entry.version);
    const differs = (v: { data: Record<string, unknown> }) => fields.some((f) => !same(pick(v.data, f), pick(current, f)));
    const reviewed = (s: EntryState) => s === 'submitted' || s === 'in_review' || s === 'accepted';
    const baseline = versions.find((v) => reviewed(v.state) && differs(v)) ?? versions.find(differs) ?? null;
    const previous = entry.previousEntryId ? ((await this.entryReads.byIds([entry.previousEntryId])).get(entry.previousEntryId) ?? null) : null;
    const previousCycle = previous ? (editableSnapshot(previous) as Record<string, unknown>) : null;
    return defs.map((def) => {
      const field = def.key;
      return {
        field,
        label: def.label,
        type: def.type,
        current: pick(current, field) ?? null,
        previousVersion: baseline ? (pick(baseline.data, field) ?? null) : null,
        previousCycle: previousCycle ? (pick(previousCycle, field) ?? null) : null,
        changedSinceVersion: baseline ? !same(pick(baseline.data, field), pick(current, field)) : false,
        changedSincePreviousCycle: previousCycle ? !same(pick(previousCycle, field), pick(current, field)) : false,
      };
    });
  }
}

/** The pending step as the inbox and the entry page name it: 「合議（2/3 承認済）」 at a 合議 step. */
export function stepText(routing: EntryRouting): string {
  const step = pendingStep(routing);
  if (!step) return '';
  const progress = coProgress(routing);
  return progress && step.co ? coProgressText(step.label, progress.approved, progress.required, step.co.rule) : step.label;
}

function notesOf(stored: string[] | null, now: string | null): { notes: string[]; note: string | null } {
  const notes = [...new Set([...(stored ?? []), ...(now ? [now] : [])])];
  return { notes, note: notes.length ? notes.join(' / ') : null };
}

function sectionGroup(sectionId: number, sectionName: string, count: number) {
  return { sectionId, sectionName, count, entries: [] as unknown[] };
}

/** The page's last sort key, opaque to the client. */
function cursorOf(key: InboxKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function parseCursor(cursor: string): InboxKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const ints = [1, 3, 4, 6];
    if (
      Array.isArray(key) &&
      key.length === 7 &&
      /^\d{4}-\d{2}-\d{2}$/.test(String(key[0])) &&
      ints.every((i) => Number.isInteger(key[i])) &&
      typeof key[2] === 'string' &&
      typeof key[5] === 'string'
    ) {
      return key as InboxKey;
    }
  } catch {
    // answered below
  }
  throw new DomainError('bad_request', 'cursor が不正です(前のページの nextCursor を指定してください)', { field: 'cursor' });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
