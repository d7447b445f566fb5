import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { Actor, tokyoToday } from '@app/domain';
import { approversNow, decideApprover, DelegationWindow, EDITING_AUDIT_ACTIONS, EntryRouting, RouteUser } from './domain/approval-route';

/**
 * The users the audit log names as writers of the entry whose id (as text) is `entryId`: the
 * actor and principal of each of its saves and submits (`actions` holds EDITING_AUDIT_ACTIONS).
 * The one definition of "wrote it" that segregation of duties and the chief's step rely on.
 */
const auditEditors = (entryId: string, actions: string) => `
  SELECT x FROM audit_log a, LATERAL (VALUES (a.actor_user_id), (a.on_behalf_of_user_id)) v(x)
   WHERE a.subject_type = 'entry' AND a.subject_id = ${entryId} AND a.action = ANY(${actions}) AND x IS NOT NULL`;

/** Entries with their route, section, evaluator, department head and writers, in one query. */
const ROUTING_SQL = `
  SELECT e.id AS "entryId", e.state, e.current_step AS "currentStep", COALESCE(c.rules -> 'approvalRoute', t.approval_route) AS route,
         e.section_id AS "sectionId", i.evaluator_user_id AS "evaluatorUserId", d.head_user_id AS "departmentHeadUserId",
         array_remove(ARRAY[e.author_user_id, e.last_edited_by] || COALESCE(w.ids, '{}'), NULL) AS "editorIds"
    FROM entries e
    JOIN cycles c ON c.id = e.cycle_id
    JOIN cycle_templates t ON t.id = c.template_id
    JOIN sections s ON s.id = e.section_id
    JOIN departments d ON d.id = s.department_id
    JOIN plan_items i ON i.id = e.item_id
    LEFT JOIN LATERAL (SELECT array_agg(DISTINCT x) AS ids FROM (${auditEditors('e.id::text', '$2')}) editors) w ON true
   WHERE e.id = ANY($1)`;

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
    const rows: EntryRouting[] = await em.query(ROUTING_SQL, [entryIds, EDITING_AUDIT_ACTIONS]);
    return new Map(rows.map((r) => [r.entryId, r]));
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
            [...new Set(pending.flatMap((r) => [r.evaluatorUserId ?? r.departmentHeadUserId]).filter((id) => id !== null))],
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

  /** The delegations to `userId` active today and the principals who gave them. */
  async delegatorsOf(em: EntityManager, userId: number, today = tokyoToday()) {
    const delegations: DelegationWindow[] = await em.query(
      `SELECT from_user_id AS "fromUserId", to_user_id AS "toUserId", to_char(starts_on, 'YYYY-MM-DD') AS "startsOn",
              to_char(ends_on, 'YYYY-MM-DD') AS "endsOn", revoked_at AS "revokedAt"
         FROM delegations WHERE to_user_id = $1 AND revoked_at IS NULL AND $2::date BETWEEN starts_on AND ends_on
        ORDER BY id`,
      [userId, today],
    );
    const principals: (RouteUser & { name: string })[] = delegations.length
      ? await em.query(`SELECT ${USER_COLUMNS}, name FROM users WHERE id = ANY($1)`, [delegations.map((d) => d.fromUserId)])
      : [];
    return { delegations, principals, today };
  }

  /**
   * Checks that `actor` may approve or return the entry now and says for whom; throws 403
   * naming the reason otherwise. Call inside the transaction that holds the entry's row lock.
   */
  async authorize(em: EntityManager, entryId: number, actor: Actor): Promise<{ principalId: number; acting: boolean }> {
    // The entry's routing and the delegations the actor holds today, in one round trip.
    const today = tokyoToday();
    const [row]: (EntryRouting & { delegations: (DelegationWindow & { principal: RouteUser & { name: string } })[] | null })[] = await em.query(
      `SELECT r.*, (
           SELECT json_agg(json_build_object(
                    'fromUserId', d.from_user_id, 'toUserId', d.to_user_id,
                    'startsOn', to_char(d.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(d.ends_on, 'YYYY-MM-DD'),
                    'revokedAt', d.revoked_at,
                    'principal', json_build_object('id', u.id, 'sectionId', u.section_id, 'roles', u.roles, 'active', u.active, 'name', u.name))
                  ORDER BY d.id)
             FROM delegations d JOIN users u ON u.id = d.from_user_id
            WHERE d.to_user_id = $3 AND d.revoked_at IS NULL AND $4::date BETWEEN d.starts_on AND d.ends_on
         ) AS delegations
           FROM (${ROUTING_SQL}) r`,
      [[entryId], EDITING_AUDIT_ACTIONS, actor.id, today],
    );
    if (!row) throw DomainError.notFound('エントリー', entryId);
    const { delegations: held, ...routing } = row;
    const delegations: DelegationWindow[] = (held ?? []).map(({ principal: _p, ...d }) => d);
    const principals = [...new Map((held ?? []).map((d) => [d.principal.id, d.principal])).values()];
    const decision = decideApprover({ ...actor, active: true }, routing, principals, delegations, today);
    if (!decision.allowed) {
      throw new DomainError('forbidden', decision.message, { reason: decision.reason });
    }
    return { principalId: decision.principalId, acting: decision.acting };
  }
}
