import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { Actor, readApprovalOptions, tokyoToday } from '@app/domain';
import {
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

/**
 * The users the audit log names as writers of the entry whose id (as text) is `entryId`: the
 * actor and principal of each of its saves and submits (`actions` holds EDITING_AUDIT_ACTIONS).
 * The one definition of "wrote it" that segregation of duties and the chief's step rely on.
 */
const auditEditors = (entryId: string, actions: string) => `
  SELECT x FROM audit_log a, LATERAL (VALUES (a.actor_user_id), (a.on_behalf_of_user_id)) v(x)
   WHERE a.subject_type = 'entry' AND a.subject_id = ${entryId} AND a.action = ANY(${actions}) AND x IS NOT NULL`;

/**
 * The audit id at which the entry's current submission began (its last submit, return, withdraw
 * or reopen; 0 if none): approvals after it belong to this round. `entryId` is the SQL text of
 * the entry's id. The one definition the routing and the inbox both use.
 */
export const roundStartSql = (entryId: string) =>
  `COALESCE((SELECT max(b.id) FROM audit_log b WHERE b.subject_type = 'entry' AND b.subject_id = ${entryId}
              AND b.action IN ('entry.submit', 'entry.return', 'entry.withdraw', 'entry.reopen')), 0)`;

/** Who approved a step of the entry's current submission (as actor or as the principal of a 代決). */
const roundApprovers = (entryId: string) => `
  SELECT x FROM audit_log a, LATERAL (VALUES (a.actor_user_id), (a.on_behalf_of_user_id)) v(x)
   WHERE a.subject_type = 'entry' AND a.subject_id = ${entryId} AND a.action = 'entry.approve' AND x IS NOT NULL
     AND a.id > ${roundStartSql(entryId)}`;

/** The columns of a delegation as DelegationWindow reads them (`d` is the delegations row). */
export const DELEGATION_WINDOW_COLUMNS = `d.from_user_id AS "fromUserId", d.to_user_id AS "toUserId",
  to_char(d.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(d.ends_on, 'YYYY-MM-DD') AS "endsOn",
  d.revoked_at AS "revokedAt", d.confirmed_at AS "confirmedAt", d.cycle_id AS "cycleId", d.step_kind AS "stepKind"`;

/** Entries with their route, section, evaluator, department head, writers and approvers so far, in one query. */
const ROUTING_SQL = `
  SELECT e.id AS "entryId", e.cycle_id AS "cycleId", e.item_id AS "itemId", e.state, e.current_step AS "currentStep", COALESCE(c.rules -> 'approvalRoute', t.approval_route) AS route,
         COALESCE(c.rules -> 'approvalOptions', t.approval_options) AS options,
         e.section_id AS "sectionId", i.evaluator_user_id AS "evaluatorUserId", d.head_user_id AS "departmentHeadUserId",
         array_remove(ARRAY[e.author_user_id, e.last_edited_by] || COALESCE(w.ids, '{}'), NULL) AS "editorIds",
         COALESCE(ap.ids, '{}') AS "approverIds"
    FROM entries e
    JOIN cycles c ON c.id = e.cycle_id
    JOIN cycle_templates t ON t.id = c.template_id
    JOIN sections s ON s.id = e.section_id
    JOIN departments d ON d.id = s.department_id
    JOIN plan_items i ON i.id = e.item_id
    LEFT JOIN LATERAL (SELECT array_agg(DISTINCT x) AS ids FROM (${auditEditors('e.id::text', '$2')}) editors) w ON true
    LEFT JOIN LATERAL (SELECT array_agg(DISTINCT x) AS ids FROM (${roundApprovers('e.id::text')}) approvers) ap ON true
   WHERE e.id = ANY($1)`;

/**
 * The route's options read in today's shape. Without segregation of duties an earlier step's
 * approver is no longer barred (the authors still are: the author never approves).
 */
export function withOptions(row: EntryRouting): EntryRouting {
  const options = readApprovalOptions(row.options);
  return { ...row, options, approverIds: options.segregation ? row.approverIds : [] };
}

/** Who may act, for whom, at which party of a 合議 step, and the routing the decision read. */
export interface Authorized {
  principalId: number;
  acting: boolean;
  seat: CoSeat | null;
  routing: EntryRouting;
}

const USER_COLUMNS = `id, section_id AS "sectionId", roles, active`;

/**
 * Who may act on an entry now, from the database: loads what the pure rules in
 * domain/approval-route.ts need. Every method takes the caller's EntityManager so it
 * reads inside the caller's transaction (and never takes a second pool connection).
 */
@Injectable()
export class ApprovalRoutingService {
  async routing(em: EntityManager, entryIds: number[]): Promise<Map<number, EntryRouting>> {
    if (entryIds.length === 0) return new Map();
    const rows: EntryRouting[] = (await em.query(ROUTING_SQL, [entryIds, EDITING_AUDIT_ACTIONS])).map(withOptions);
    await this.attachSeats(em, rows);
    return new Map(rows.map((r) => [r.entryId, r]));
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
    const seats: (CoSeat & { entryId: number })[] = await em.query(
      `WITH want AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS w("entryId" int, "itemId" int, "sectionId" int, step int, parties text, "userIds" jsonb)
       ), seat AS (
         SELECT w."entryId", w.step, 's:' || p.section_id AS key, sec.name AS label, p.section_id AS "sectionId", NULL::int AS "userId",
                COALESCE((SELECT array_agg(u.id ORDER BY u.id) FROM users u WHERE u.active AND 'chief' = ANY(u.roles) AND u.section_id = p.section_id), '{}') AS "holderIds",
                p.sort AS ord
           FROM want w JOIN plan_item_sections p ON p.item_id = w."itemId" AND p.section_id <> w."sectionId" JOIN sections sec ON sec.id = p.section_id
          WHERE w.parties = 'item_sections'
         UNION ALL
         SELECT w."entryId", w.step, 'u:' || u.id, u.name, NULL, u.id, CASE WHEN u.active THEN ARRAY[u.id] ELSE '{}'::int[] END, x.ord::int
           FROM want w CROSS JOIN LATERAL jsonb_array_elements_text(w."userIds") WITH ORDINALITY x(uid, ord) JOIN users u ON u.id = x.uid::int
          WHERE w.parties = 'named'
       )
       SELECT seat."entryId", seat.key, seat.label, seat."sectionId", seat."userId", seat."holderIds",
              ca.user_id AS "approvedBy", ca.acted_by AS "actedBy"
         FROM seat LEFT JOIN co_approvals ca ON ca.entry_id = seat."entryId" AND ca.step = seat.step AND ca.seat = seat.key
        ORDER BY seat."entryId", seat.ord, seat.key`,
      [JSON.stringify(want)],
    );
    for (const r of rows) {
      if (want.some((w) => w.entryId === r.entryId)) r.seats = seats.filter((x) => x.entryId === r.entryId).map(({ entryId: _e, ...seat }) => seat);
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
      ? await em.query(
          `SELECT ${USER_COLUMNS} FROM users
            WHERE active AND (('chief' = ANY(roles) AND section_id = ANY($1)) OR 'planning' = ANY(roles) OR id = ANY($2))`,
          [
            [...new Set(pending.map((r) => r.sectionId))],
            [
              ...new Set(
                pending.flatMap((r) => [r.evaluatorUserId, r.departmentHeadUserId, ...(r.seats ?? []).flatMap((s) => s.holderIds)]).filter((id) => id !== null),
              ),
            ],
          ],
        )
      : [];
    return new Map(entryIds.filter((id) => routing.has(id)).map((id) => [id, approversNow(routing.get(id)!, users)]));
  }

  /**
   * Whether the entry's section-chief step is given by authorship: a chief of the section wrote
   * it (author, last editor, or a save/submit in the audit log) and every other active chief
   * of the section did too, so no chief is free to approve it. `editorIds`: who wrote it in the
   * change not yet saved.
   */
  async chiefStepGiven(em: EntityManager, entry: { id: number; sectionId: number }, editorIds: (number | null)[]): Promise<boolean> {
    const [row]: { given: boolean }[] = await em.query(
      `WITH editors AS (
         SELECT unnest($3::int[]) AS id
         UNION ${auditEditors('$1::text', '$4')}
       ), chiefs AS (
         SELECT id FROM users WHERE section_id = $2 AND active AND 'chief' = ANY(roles)
       )
       SELECT EXISTS (SELECT 1 FROM chiefs WHERE id IN (SELECT id FROM editors))
          AND NOT EXISTS (SELECT 1 FROM chiefs WHERE id NOT IN (SELECT id FROM editors WHERE id IS NOT NULL)) AS given`,
      [entry.id, entry.sectionId, editorIds.filter((id) => id !== null), EDITING_AUDIT_ACTIONS],
    );
    return row.given;
  }

  /** The confirmed delegations to `userId` in force today (any scope) and the principals who gave them. */
  async delegatorsOf(em: EntityManager, userId: number, today = tokyoToday()) {
    const delegations: (DelegationWindow & { cycleLabel: string | null })[] = await em.query(
      `SELECT ${DELEGATION_WINDOW_COLUMNS}, c.label AS "cycleLabel"
         FROM delegations d LEFT JOIN cycles c ON c.id = d.cycle_id
        WHERE d.to_user_id = $1 AND d.revoked_at IS NULL AND d.confirmed_at IS NOT NULL AND $2::date BETWEEN d.starts_on AND d.ends_on
        ORDER BY d.id`,
      [userId, today],
    );
    // The principal's post as people say it (経営企画部長, 経営企画課長), for the delegate's banner.
    const principals: (RouteUser & { name: string; post: string | null })[] = delegations.length
      ? await em.query(
          `SELECT u.id, u.section_id AS "sectionId", u.roles, u.active, u.name,
                  COALESCE((SELECT h.name || '長' FROM departments h WHERE h.head_user_id = u.id ORDER BY h.id LIMIT 1),
                           CASE WHEN 'chief' = ANY(u.roles) THEN s.name || '長' ELSE s.name END) AS post
             FROM users u LEFT JOIN sections s ON s.id = u.section_id
            WHERE u.id = ANY($1)`,
          [delegations.map((d) => d.fromUserId)],
        )
      : [];
    return { delegations, principals, today };
  }

  /** Who may act today for these principals in this cycle (confirmed delegations in force), to tell them too. */
  async delegatesOf(em: EntityManager, principalIds: number[], cycleId: number, today = tokyoToday()): Promise<number[]> {
    if (!principalIds.length) return [];
    const rows: { id: number }[] = await em.query(
      `SELECT DISTINCT d.to_user_id AS id FROM delegations d JOIN users u ON u.id = d.to_user_id AND u.active
        WHERE d.from_user_id = ANY($1) AND d.revoked_at IS NULL AND d.confirmed_at IS NOT NULL
          AND $2::date BETWEEN d.starts_on AND d.ends_on AND (d.cycle_id IS NULL OR d.cycle_id = $3)`,
      [principalIds, today, cycleId],
    );
    return rows.map((r) => r.id);
  }

  /** Whether `userId` approved or returned the entry at some time (they keep reading what they decided). */
  async hasDecided(em: EntityManager, entryId: number, userId: number): Promise<boolean> {
    const [row] = await em.query(
      `SELECT 1 FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 AND action IN ('entry.approve', 'entry.return') AND actor_user_id = $2 LIMIT 1`,
      [String(entryId), userId],
    );
    return !!row;
  }

  /** Whether the entry waits for `actor` now, themselves or as 代決 (no throw; for read grants). */
  async mayActNow(em: EntityManager, entryId: number, actor: Actor): Promise<boolean> {
    const routing = (await this.routing(em, [entryId])).get(entryId);
    if (!routing || !pendingStep(routing)) return false;
    const { delegations, principals, today } = await this.delegatorsOf(em, actor.id);
    return decideApprover({ ...actor, active: true }, routing, principals, delegations, today).allowed;
  }

  /**
   * Checks that `actor` may approve or return the entry now and says for whom; throws 403
   * naming the reason otherwise. Call inside the transaction that holds the entry's row lock.
   */
  async authorize(em: EntityManager, entryId: number, actor: Actor): Promise<Authorized> {
    // The entry's routing and the delegations the actor holds today, in one round trip.
    const today = tokyoToday();
    const [row]: (EntryRouting & { delegations: (DelegationWindow & { principal: RouteUser & { name: string } })[] | null })[] = await em.query(
      `SELECT r.*, (
           SELECT json_agg(json_build_object(
                    'fromUserId', d.from_user_id, 'toUserId', d.to_user_id,
                    'startsOn', to_char(d.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(d.ends_on, 'YYYY-MM-DD'),
                    'revokedAt', d.revoked_at, 'confirmedAt', d.confirmed_at, 'cycleId', d.cycle_id, 'stepKind', d.step_kind,
                    'principal', json_build_object('id', u.id, 'sectionId', u.section_id, 'roles', u.roles, 'active', u.active, 'name', u.name))
                  ORDER BY d.id)
             FROM delegations d JOIN users u ON u.id = d.from_user_id
            WHERE d.to_user_id = $3 AND d.revoked_at IS NULL AND d.confirmed_at IS NOT NULL AND $4::date BETWEEN d.starts_on AND d.ends_on
         ) AS delegations
           FROM (${ROUTING_SQL}) r`,
      [[entryId], EDITING_AUDIT_ACTIONS, actor.id, today],
    );
    if (!row) throw DomainError.notFound('エントリー', entryId);
    const { delegations: held, ...raw } = row;
    const routing = withOptions(raw);
    await this.attachSeats(em, [routing]);
    const delegations: DelegationWindow[] = (held ?? []).map(({ principal: _p, ...d }) => d);
    const principals = [...new Map((held ?? []).map((d) => [d.principal.id, d.principal])).values()];
    const decision = decideApprover({ ...actor, active: true }, routing, principals, delegations, today);
    if (!decision.allowed) {
      throw new DomainError('forbidden', decision.message, { reason: decision.reason });
    }
    const principal = decision.acting ? principals.find((p) => p.id === decision.principalId)! : { ...actor, active: true };
    const seat = pendingStep(routing)?.kind === 'co_approval' ? openSeatOf(principal, routing) : null;
    return { principalId: decision.principalId, acting: decision.acting, seat, routing };
  }
}
