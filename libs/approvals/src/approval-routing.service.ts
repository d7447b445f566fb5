import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { readsOn } from '@app/database';
import { AuditReads, entryEditorsSql, entryRoundApproversSql } from '@app/audit';
import { Actor, ApprovalOptions, ENTRY_STATES_AWAITING_APPROVAL, readApprovalOptions, Role, tokyoToday } from '@app/domain';
import { CycleHeading, CycleReads, CycleRoutesService } from '@app/cycles';
import { AwaitingBranch, EntryReads, LockedEntry } from '@app/entries';
import { SectionDirectory, SectionPlaceRow, UserDirectory } from '@app/org';
import { ItemLabelRow, ItemReads } from '@app/plan-items';
import {
  ApprovalStep,
  approversNow,
  CoSeat,
  decideApprover,
  DelegationWindow,
  EDITING_AUDIT_ACTIONS,
  EntryRouting,
  openSeatOf,
  pendingStep,
  RouteUser,
} from './domain/approval-route';

/** The columns of a delegation as DelegationWindow reads them (`d` is the delegations row). */
export const DELEGATION_WINDOW_COLUMNS = `d.from_user_id AS "fromUserId", d.to_user_id AS "toUserId",
  to_char(d.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(d.ends_on, 'YYYY-MM-DD') AS "endsOn",
  d.revoked_at AS "revokedAt", d.confirmed_at AS "confirmedAt", d.cycle_id AS "cycleId", d.step_kind AS "stepKind"`;

/**
 * What the audit log says of each entry (ids in $1, as text): who wrote it (author, last editor,
 * any actor or principal of a save or submit; $2 the editing actions) and who approved a step of
 * its current submission. The entry's own columns, its route, section and item come from their owners.
 *
 * The ids come as text because audit_log.subject_id is text: under row-level security only a
 * leakproof condition may be an index condition, and `subject_id = e.id::text` (a cast) is not one,
 * so it was applied as a filter over every entry row of the log, at every approval.
 */
const factsSql = (entries: string) => `
  SELECT e.sid::int AS "entryId", COALESCE(w.ids, '{}') AS "editorIds", COALESCE(ap.ids, '{}') AS "approverIds"
    FROM ${entries} AS e(sid)
    LEFT JOIN LATERAL (SELECT array_agg(DISTINCT x) AS ids FROM (${entryEditorsSql('e.sid', '$2')}) editors) w ON true
    LEFT JOIN LATERAL (SELECT array_agg(DISTINCT x) AS ids FROM (${entryRoundApproversSql('e.sid')}) approvers) ap ON true`;

/** FACTS of the entries whose ids are the text array $1. */
export const FACTS_SQL = factsSql('unnest($1::text[])');

/**
 * FACTS of the one entry whose id is the text $1. With a scalar the prepared statement's generic
 * plan costs what a custom one does, so PostgreSQL keeps it after five runs; with unnest(array) it
 * guesses ten entries, finds the generic plan dearer and plans the statement again at every
 * approval (0.3–0.5 ms of the database's CPU each, measured in the approve bench).
 */
export const ONE_ENTRY_FACTS_SQL = factsSql('(VALUES ($1::text))');

interface EntryFacts {
  entryId: number;
  editorIds: number[];
  approverIds: number[];
}

/** What an entry's routing reads of the entry itself (EntryReads's answer). */
type RoutedEntry = Pick<EntryRouting, 'cycleId' | 'itemId' | 'state' | 'currentStep' | 'sectionId'> & {
  id: number;
  authorUserId: number | null;
  lastEditedBy: number | null;
};

/** An entry's routing from what each owner said of it (the editors: its own columns and the audit log's). */
export function routingOf(
  entry: RoutedEntry,
  rules: { route: readonly ApprovalStep[]; options: unknown },
  place: { evaluatorUserId: number | null; departmentHeadUserId: number | null },
  facts: Pick<EntryFacts, 'editorIds' | 'approverIds'>,
): EntryRouting {
  return withOptions({
    entryId: entry.id,
    cycleId: entry.cycleId,
    itemId: entry.itemId,
    state: entry.state,
    currentStep: entry.currentStep,
    route: rules.route,
    options: rules.options as ApprovalOptions,
    sectionId: entry.sectionId,
    evaluatorUserId: place.evaluatorUserId,
    departmentHeadUserId: place.departmentHeadUserId,
    editorIds: [...new Set([entry.authorUserId, entry.lastEditedBy, ...facts.editorIds].filter((x): x is number => x !== null))],
    approverIds: facts.approverIds,
  });
}

/**
 * The route's options read in today's shape. Without segregation of duties an earlier step's
 * approver is no longer barred (the authors still are: the author never approves).
 */
export function withOptions(row: EntryRouting): EntryRouting {
  const options = readApprovalOptions(row.options as Parameters<typeof readApprovalOptions>[0]);
  return { ...row, options, approverIds: options.segregation ? row.approverIds : [] };
}

/** Who may act, for whom, at which party of a 合議 step, and the routing the decision read. */
export interface Authorized {
  principalId: number;
  acting: boolean;
  seat: CoSeat | null;
  routing: EntryRouting;
}

function asRouteUser(u: { id: number; sectionId: number | null; roles: string[]; active: boolean }): RouteUser {
  return { id: u.id, sectionId: u.sectionId, roles: u.roles as Role[], active: u.active };
}

/**
 * Who may act on an entry now, from the database: loads what the pure rules in
 * domain/approval-route.ts need. Every method takes the caller's EntityManager so it
 * reads inside the caller's transaction (and never takes a second pool connection).
 */
@Injectable()
export class ApprovalRoutingService {
  constructor(
    private readonly routes: CycleRoutesService,
    private readonly entryReads: EntryReads,
    private readonly sectionDirectory: SectionDirectory,
    private readonly userDirectory: UserDirectory,
    private readonly itemReads: ItemReads,
    private readonly cycleReads: CycleReads,
    private readonly auditReads: AuditReads,
  ) {}

  /**
   * Every entry that may wait for one of `holders` now, with its full routing (the same
   * `routingOf` the approve path reads) and what the inbox shows and sorts by. A superset, read
   * from each holder's own positions through the owners' indexes: the chief's sections at
   * section-chief steps; the items they evaluate and the sections of the departments they head
   * at evaluator steps; for planning, every entry at a planning or evaluator step (the
   * evaluator's step falls to planning); at 合議 steps, the named parties' and the items of the
   * chief's section. Who holds each step is left to the caller's `decideApprover`.
   */
  async inboxCandidates(
    em: EntityManager,
    holders: readonly RouteUser[],
  ): Promise<{ cycles: Map<number, CycleHeading>; rows: { routing: EntryRouting; item: ItemLabelRow; section: SectionPlaceRow }[] }> {
    const open = await this.cycleReads.openHeadings(em);
    const cycles = new Map(open.map((c) => [c.id, c]));
    const rules = await this.routes.routingRulesOf(
      open.map((c) => c.id),
      em,
    );
    const holderIds = holders.map((h) => h.id);
    const chiefSections = holders.filter((h) => h.roles.includes('chief') && h.sectionId !== null).map((h) => h.sectionId!);
    const planning = holders.some((h) => h.roles.includes('planning'));
    const at: Record<'section_chief' | 'evaluator' | 'planning' | 'named' | 'item_sections', [number, number][]> = {
      section_chief: [],
      evaluator: [],
      planning: [],
      named: [],
      item_sections: [],
    };
    for (const [cycleId, { route }] of rules) {
      route.forEach((step, i) => {
        if (step.kind !== 'co_approval') at[step.kind].push([cycleId, i]);
        else if (step.co?.parties === 'named' && (step.co.userIds ?? []).some((id) => holderIds.includes(id))) at.named.push([cycleId, i]);
        else if (step.co?.parties === 'item_sections' && chiefSections.length) at.item_sections.push([cycleId, i]);
      });
    }
    const [evaluates, heads, coItems] = await readsOn(em, [
      () => (at.evaluator.length ? this.itemReads.evaluatedBy(holderIds, em).then((items) => items.map((i) => i.id)) : []),
      () => (at.evaluator.length ? this.sectionDirectory.headedBy(holderIds, em) : []),
      () => (at.item_sections.length ? this.itemReads.itemsOfSections(chiefSections, em) : []),
    ] as const);
    const branches: AwaitingBranch[] = [
      { at: at.section_chief, sectionIds: chiefSections },
      { at: at.evaluator, itemIds: evaluates },
      { at: at.evaluator, sectionIds: heads.map((h) => h.sectionId) },
      ...(planning ? [{ at: at.planning }, { at: at.evaluator }] : []),
      { at: at.named },
      { at: at.item_sections, itemIds: coItems.map((c) => c.itemId) },
    ];
    const entries = await this.entryReads.awaitingApproval(branches, em);
    if (!entries.length) return { cycles, rows: [] };
    const ids = entries.map((e) => e.id);
    const [facts, items, sections] = await readsOn(em, [
      () => this.factsOf(em, ids),
      () =>
        this.itemReads.labels(
          entries.map((e) => e.itemId),
          em,
        ),
      () =>
        this.sectionDirectory.withDepartments(
          entries.map((e) => e.sectionId),
          em,
        ),
    ] as const);
    const rows = entries
      .filter((e) => items.has(e.itemId) && sections.has(e.sectionId))
      .map((e) => ({
        routing: routingOf(
          e,
          rules.get(e.cycleId)!,
          { evaluatorUserId: items.get(e.itemId)!.evaluatorUserId, departmentHeadUserId: sections.get(e.sectionId)!.headUserId },
          facts.get(e.id) ?? { editorIds: [], approverIds: [] },
        ),
        item: items.get(e.itemId)!,
        section: sections.get(e.sectionId)!,
      }));
    await this.attachSeats(
      em,
      rows.map((r) => r.routing),
    );
    return { cycles, rows };
  }

  /**
   * The entries' routing, each part from its owner (entries, the cycle's route, the item's
   * evaluator, the section's department head) and the audit log, joined here by id.
   */
  async routing(em: EntityManager, entryIds: number[]): Promise<Map<number, EntryRouting>> {
    if (entryIds.length === 0) return new Map();
    const known = this.settled.get(em);
    if (known && entryIds.every((id) => known.has(id))) return new Map(entryIds.map((id) => [id, known.get(id)!]));
    const entries = [...(await this.entryReads.summariesOf(entryIds, em)).values()];
    if (!entries.length) return new Map();
    const [facts, rules, items, sections] = await readsOn(em, [
      () =>
        this.factsOf(
          em,
          entries.map((e) => e.id),
        ),
      () =>
        this.routes.routingRulesOf(
          entries.map((e) => e.cycleId),
          em,
        ),
      () =>
        this.itemReads.labels(
          entries.map((e) => e.itemId),
          em,
        ),
      () =>
        this.sectionDirectory.withDepartments(
          entries.map((e) => e.sectionId),
          em,
        ),
    ] as const);
    const rows = entries.map((e) =>
      routingOf(
        e,
        rules.get(e.cycleId) ?? { route: [], options: null },
        {
          evaluatorUserId: items.get(e.itemId)?.evaluatorUserId ?? null,
          departmentHeadUserId: sections.get(e.sectionId)?.headUserId ?? null,
        },
        facts.get(e.id) ?? { editorIds: [], approverIds: [] },
      ),
    );
    await this.attachSeats(em, rows);
    return new Map(rows.map((r) => [r.entryId, r]));
  }

  /**
   * The routing an entry has once the change settled in this transaction (`em`) is written: the
   * approve and submit paths know it already, so the listeners after them (the 承認依頼 notice asks
   * who must act now) read it from here instead of asking the database again in the same transaction.
   */
  settle(em: EntityManager, routing: EntryRouting): void {
    const known = this.settled.get(em) ?? new Map<number, EntryRouting>();
    known.set(routing.entryId, routing);
    this.settled.set(em, known);
  }

  private readonly settled = new WeakMap<EntityManager, Map<number, EntryRouting>>();

  /** Who wrote each entry and who approved a step of its current submission, from the audit log. */
  async factsOf(em: EntityManager, entryIds: readonly number[]): Promise<Map<number, EntryFacts>> {
    if (!entryIds.length) return new Map();
    const rows: EntryFacts[] = await em.query(FACTS_SQL, [[...new Set(entryIds)].map(String), EDITING_AUDIT_ACTIONS]);
    return new Map(rows.map((r) => [r.entryId, r]));
  }

  /**
   * A locked entry's routing for the approve and submit paths, in one round trip: the rules and
   * the place (evaluator, department head) came with the lock, the writers and approvers from the
   * audit log, and, when `actor` is given, the delegations they hold today (the principals are
   * read only when there are some).
   */
  async lockedRouting(
    em: EntityManager,
    entry: RoutedEntry,
    rules: { route: readonly ApprovalStep[]; options: unknown },
    place: { evaluatorUserId: number | null; departmentHeadUserId: number | null },
    actor?: { id: number; today: string },
  ): Promise<{ routing: EntryRouting; delegations: DelegationWindow[] }> {
    const [row]: (EntryFacts & { delegations: DelegationWindow[] | null })[] = await em.query(
      actor
        ? `SELECT f.*, (SELECT json_agg(json_build_object(
                    'fromUserId', d.from_user_id, 'toUserId', d.to_user_id,
                    'startsOn', to_char(d.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(d.ends_on, 'YYYY-MM-DD'),
                    'revokedAt', d.revoked_at, 'confirmedAt', d.confirmed_at, 'cycleId', d.cycle_id, 'stepKind', d.step_kind) ORDER BY d.id)
                FROM delegations d
               WHERE d.to_user_id = $3 AND d.revoked_at IS NULL AND d.confirmed_at IS NOT NULL AND $4::date BETWEEN d.starts_on AND d.ends_on) AS delegations
             FROM (${ONE_ENTRY_FACTS_SQL}) f`
        : ONE_ENTRY_FACTS_SQL,
      actor ? [String(entry.id), EDITING_AUDIT_ACTIONS, actor.id, actor.today] : [String(entry.id), EDITING_AUDIT_ACTIONS],
    );
    const routing = routingOf(entry, rules, place, row ?? { editorIds: [], approverIds: [] });
    await this.attachSeats(em, [routing]);
    return { routing, delegations: row?.delegations ?? [] };
  }

  /**
   * Gives each row waiting at a 合議 step its parties (`seats`): the other sections of its item
   * with their active chiefs, or the named users, and who approved for each in this round
   * (co_approvals). Rows at other steps are left as they are.
   */
  async attachSeats(em: EntityManager, rows: EntryRouting[]): Promise<void> {
    const want = rows
      .map((r) => ({ r, step: pendingStep(r) }))
      .filter((x) => x.step?.kind === 'co_approval' && x.step.co)
      .map(({ r, step }) => ({
        entryId: r.entryId,
        itemId: r.itemId,
        sectionId: r.sectionId,
        step: r.currentStep,
        parties: step!.co!.parties,
        userIds: step!.co!.userIds ?? [],
      }));
    if (!want.length) return;
    // The parties from their owners (the item's sections, their names and active chiefs; the named
    // users), and who approved for each in this round from co_approvals, joined here by id.
    const bySections = want.filter((w) => w.parties === 'item_sections');
    const named = want.filter((w) => w.parties === 'named');
    const itemSections = (
      await this.itemReads.sectionsOfItems(
        bySections.map((w) => w.itemId!),
        em,
      )
    ).filter((p) => bySections.some((w) => w.itemId === p.itemId && w.sectionId !== p.sectionId));
    const sectionIds = itemSections.map((p) => p.sectionId);
    const [sections, chiefs, users, approved] = await readsOn(em, [
      () => this.sectionDirectory.withDepartments(sectionIds, em),
      () => this.userDirectory.activeChiefsOf(sectionIds, em),
      () =>
        this.userDirectory.forRouting(
          named.flatMap((w) => w.userIds),
          em,
        ),
      () =>
        em.query(`SELECT entry_id AS "entryId", step, seat, user_id AS "approvedBy", acted_by AS "actedBy" FROM co_approvals WHERE entry_id = ANY($1::int[])`, [
          want.map((w) => w.entryId),
        ]) as Promise<{ entryId: number; step: number; seat: string; approvedBy: number; actedBy: number }[]>,
    ] as const);
    const seats: (CoSeat & { entryId: number; ord: number })[] = [];
    const seat = (w: (typeof want)[number], ord: number, s: Omit<CoSeat, 'approvedBy' | 'actedBy'>) => {
      const a = approved.find((x) => x.entryId === w.entryId && x.step === w.step && x.seat === s.key);
      seats.push({ entryId: w.entryId, ord, ...s, approvedBy: a?.approvedBy ?? null, actedBy: a?.actedBy ?? null });
    };
    for (const w of bySections) {
      for (const p of itemSections.filter((x) => x.itemId === w.itemId && x.sectionId !== w.sectionId)) {
        const section = sections.get(p.sectionId);
        if (!section) continue;
        seat(w, p.sort, { key: `s:${p.sectionId}`, label: section.name, sectionId: p.sectionId, userId: null, holderIds: chiefs.get(p.sectionId) ?? [] });
      }
    }
    for (const w of named) {
      w.userIds.forEach((uid, i) => {
        const u = users.get(Number(uid));
        if (u) seat(w, i + 1, { key: `u:${u.id}`, label: u.name, sectionId: null, userId: u.id, holderIds: u.active ? [u.id] : [] });
      });
    }
    seats.sort((a, b) => a.entryId - b.entryId || a.ord - b.ord || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const r of rows) {
      if (want.some((w) => w.entryId === r.entryId)) r.seats = seats.filter((x) => x.entryId === r.entryId).map(({ entryId: _e, ord: _o, ...seat }) => seat);
    }
  }

  /**
   * For entries in submitted/in_review, the users who must act now: principals (never
   * their delegates), without anyone who wrote the entry. Entries waiting for nobody map to [].
   */
  async pendingApprovers(em: EntityManager, entryIds: number[]): Promise<Map<number, number[]>> {
    const routing = await this.routing(em, entryIds);
    const pending = [...routing.values()].filter((r) => r.state === 'submitted' || r.state === 'in_review');
    const users: RouteUser[] = pending.length
      ? (
          await this.userDirectory.activeStepHolders(
            pending.map((r) => r.sectionId),
            pending.flatMap((r) => [r.evaluatorUserId, r.departmentHeadUserId, ...(r.seats ?? []).flatMap((s) => s.holderIds)]).filter((id) => id !== null),
            em,
          )
        ).map(asRouteUser)
      : [];
    return new Map(entryIds.filter((id) => routing.has(id)).map((id) => [id, approversNow(routing.get(id)!, users)]));
  }

  /**
   * Whether the entry's section-chief step is given by authorship: a chief of the section wrote
   * it and every other active chief of the section did too, so no chief is free to approve it.
   * `editorIds`: everyone who wrote it (the routing's, with the change not yet saved).
   */
  async chiefStepGiven(em: EntityManager, entry: { sectionId: number }, editorIds: readonly number[]): Promise<boolean> {
    const chiefs = (await this.userDirectory.activeChiefsOf([entry.sectionId], em)).get(entry.sectionId) ?? [];
    return chiefs.some((id) => editorIds.includes(id)) && chiefs.every((id) => editorIds.includes(id));
  }

  /** The confirmed delegations to `userId` in force today (any scope) and the principals who gave them. */
  async delegatorsOf(em: EntityManager, userId: number, today = tokyoToday()) {
    const held: DelegationWindow[] = await em.query(
      `SELECT ${DELEGATION_WINDOW_COLUMNS}
         FROM delegations d
        WHERE d.to_user_id = $1 AND d.revoked_at IS NULL AND d.confirmed_at IS NOT NULL AND $2::date BETWEEN d.starts_on AND d.ends_on
        ORDER BY d.id`,
      [userId, today],
    );
    const cycles = await this.cycleReads.headingsOf(
      held.map((d) => d.cycleId).filter((id): id is number => id !== null && id !== undefined),
      em,
    );
    const delegations = held.map((d) => ({ ...d, cycleLabel: d.cycleId ? (cycles.get(d.cycleId)?.label ?? null) : null }));
    // The principal's post as people say it (経営企画部長, 経営企画課長), for the delegate's banner.
    const principals: (RouteUser & { name: string; post: string | null })[] = (
      await this.userDirectory.withPosts(
        delegations.map((d) => d.fromUserId),
        em,
      )
    ).map((u) => ({ ...u, roles: u.roles as Role[] }));
    return { delegations, principals, today };
  }

  /** Who may act today for these principals in this cycle (confirmed delegations in force), to tell them too. */
  async delegatesOf(em: EntityManager, principalIds: number[], cycleId: number, today = tokyoToday()): Promise<number[]> {
    if (!principalIds.length) return [];
    const rows: { id: number }[] = await em.query(
      `SELECT DISTINCT d.to_user_id AS id FROM delegations d
        WHERE d.from_user_id = ANY($1) AND d.revoked_at IS NULL AND d.confirmed_at IS NOT NULL
          AND $2::date BETWEEN d.starts_on AND d.ends_on AND (d.cycle_id IS NULL OR d.cycle_id = $3)`,
      [principalIds, today, cycleId],
    );
    // Only active delegates (asked only when there are some: most approvers delegate nothing).
    return rows.length
      ? this.userDirectory.activeIds(
          rows.map((r) => r.id),
          em,
        )
      : [];
  }

  /** Whether `userId` approved or returned the entry at some time (they keep reading what they decided). */
  async hasDecided(em: EntityManager, entryId: number, userId: number): Promise<boolean> {
    return this.auditReads.hasDecidedEntry(entryId, userId, em);
  }

  /** Whether the entry waits for `actor` now, themselves or as 代決 (no throw; for read grants). */
  async mayActNow(em: EntityManager, entryId: number, actor: Actor): Promise<boolean> {
    // Most entries one may not read wait for nobody: the entry's state answers without the route.
    const entry = (await this.entryReads.summariesOf([entryId], em)).get(entryId);
    if (!entry || !ENTRY_STATES_AWAITING_APPROVAL.includes(entry.state)) return false;
    const routing = (await this.routing(em, [entryId])).get(entryId);
    if (!routing || !pendingStep(routing)) return false;
    const { delegations, principals, today } = await this.delegatorsOf(em, actor.id);
    return decideApprover({ ...actor, active: true }, routing, principals, delegations, today).allowed;
  }

  /**
   * Checks that `actor` may approve or return the locked entry now and says for whom; throws 403
   * naming the reason otherwise. Call inside the transaction that holds the entry's row lock: the
   * route, its options, the evaluator and the department head come with the lock, so this is one
   * round trip (two when the actor holds delegations today: their principals).
   */
  async authorize(em: EntityManager, locked: LockedEntry, actor: Actor): Promise<Authorized> {
    const today = tokyoToday();
    const { routing, delegations } = await this.lockedRouting(em, locked.entry, routeRulesOf(locked), placeOf(locked), { id: actor.id, today });
    const principals: RouteUser[] = delegations.length
      ? [
          ...(
            await this.userDirectory.forRouting(
              delegations.map((d) => d.fromUserId),
              em,
            )
          ).values(),
        ].map((u) => ({ ...u, roles: u.roles as Role[] }))
      : [];
    const decision = decideApprover({ ...actor, active: true }, routing, principals, delegations, today);
    if (!decision.allowed) {
      throw new DomainError('forbidden', decision.message, { reason: decision.reason });
    }
    const principal = decision.acting ? principals.find((p) => p.id === decision.principalId)! : { ...actor, active: true };
    const seat = pendingStep(routing)?.kind === 'co_approval' ? openSeatOf(principal, routing) : null;
    return { principalId: decision.principalId, acting: decision.acting, seat, routing };
  }
}

/** The route and its options a locked entry's cycle runs under. */
export function routeRulesOf(locked: Pick<LockedEntry, 'rules'>): { route: readonly ApprovalStep[]; options: unknown } {
  return { route: locked.rules.approvalRoute, options: locked.rules.approvalOptions };
}

/** Who the route names for a locked entry: the item's evaluator, the section's department head. */
export function placeOf(locked: Pick<LockedEntry, 'scope' | 'departmentHeadUserId'>) {
  return { evaluatorUserId: locked.scope.evaluatorUserId, departmentHeadUserId: locked.departmentHeadUserId };
}
