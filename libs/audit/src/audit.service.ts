import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
// The file, not @app/org: libs/org's services import this lib.
import { UserDirectory } from '@app/org/directory/user-directory.service';

export interface AuditRecord {
  actorUserId: number | null;
  /** Set when a delegate (代理) acts for someone else. */
  onBehalfOfUserId?: number | null;
  /** Acting approval (代決) by a delegate. */
  acting?: boolean;
  action: string;
  subjectType: string;
  subjectId: string | number;
  before?: unknown;
  after?: unknown;
  comment?: string | null;
}

export interface AuditRow {
  id: string;
  at: Date;
  actorUserId: number | null;
  actorName: string | null;
  onBehalfOfUserId: number | null;
  onBehalfOfName: string | null;
  acting: boolean;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  comment: string | null;
}

/**
 * The INSERT of audit rows, its parameters numbered from `$first`, for a caller that writes the
 * change and its audit row in one statement (a data-modifying CTE before it: one round trip
 * instead of two). The row is the same either way: its chain columns are filled in by the
 * database's sealing trigger at commit, whatever statement inserted it. `onlyIf`: an SQL
 * condition the rows are written under (e.g. EXISTS (SELECT 1 FROM the CTE that changed the row)).
 */
export function auditInsert(recs: AuditRecord[], first = 1, onlyIf?: string): { sql: string; params: unknown[] } {
  const $ = (n: number) => `$${first + n}`;
  return {
    sql: `INSERT INTO audit_log (actor_user_id, on_behalf_of_user_id, acting, action, subject_type, subject_id, before, after, comment)
       SELECT r.actor, r.behalf, r.acting, r.action, r.stype, r.sid, r.before, r.after, r.comment
         FROM unnest(${$(0)}::int[], ${$(1)}::int[], ${$(2)}::bool[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::jsonb[], ${$(7)}::jsonb[], ${$(8)}::text[])
           AS r(actor, behalf, acting, action, stype, sid, before, after, comment)${onlyIf ? ` WHERE ${onlyIf}` : ''}`,
    params: [
      recs.map((r) => r.actorUserId),
      recs.map((r) => r.onBehalfOfUserId ?? null),
      recs.map((r) => r.acting ?? false),
      recs.map((r) => r.action),
      recs.map((r) => r.subjectType),
      recs.map((r) => String(r.subjectId)),
      recs.map((r) => (r.before === undefined ? null : JSON.stringify(r.before))),
      recs.map((r) => (r.after === undefined ? null : JSON.stringify(r.after))),
      recs.map((r) => r.comment ?? null),
    ],
  };
}

/**
 * Writes the append-only audit log. Callers pass the EntityManager of the transaction
 * that makes the change, so the change and its audit row commit or roll back together.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    // Given by Nest; a script that builds the service by hand (the installer) gets one on the same connection.
    private readonly users: UserDirectory = new UserDirectory(dataSource),
  ) {}

  async record(manager: EntityManager, rec: AuditRecord): Promise<void> {
    await this.recordMany(manager, [rec]);
  }

  async recordMany(manager: EntityManager, recs: AuditRecord[]): Promise<void> {
    if (recs.length === 0) return;
    const { sql, params } = auditInsert(recs);
    await manager.query(sql, params);
  }

  /**
   * The subject's audit rows, oldest first, with the names of who acted (and for whom). The
   * names come from libs/org (which owns users, and imports this lib: hence the direct file).
   */
  async forSubject(subjectType: string, subjectId: string | number): Promise<AuditRow[]> {
    const rows: Omit<AuditRow, 'actorName' | 'onBehalfOfName'>[] = await this.dataSource.query(
      `SELECT a.id, a.at, a.actor_user_id AS "actorUserId", a.on_behalf_of_user_id AS "onBehalfOfUserId",
              a.acting, a.action, a.subject_type AS "subjectType", a.subject_id AS "subjectId",
              a.before, a.after, a.comment
         FROM audit_log a
        WHERE a.subject_type = $1 AND a.subject_id = $2
        ORDER BY a.id`,
      [subjectType, String(subjectId)],
    );
    const users = await this.users.rows(rows.flatMap((r) => [r.actorUserId, r.onBehalfOfUserId]));
    const nameOf = (id: number | null) => (id === null ? null : (users.get(id)?.name ?? null));
    return rows.map((r) => ({ ...r, actorName: nameOf(r.actorUserId), onBehalfOfName: nameOf(r.onBehalfOfUserId) }));
  }

  /** Who last recorded `action` on the subject (a person, not the system; null: nobody), in the caller's transaction. */
  async lastActorUserId(em: EntityManager, subjectType: string, subjectId: string | number, action: string): Promise<number | null> {
    const [row]: { actorUserId: number | null }[] = await em.query(
      `SELECT actor_user_id AS "actorUserId" FROM audit_log
        WHERE subject_type = $1 AND subject_id = $2 AND action = $3 AND actor_user_id IS NOT NULL ORDER BY id DESC LIMIT 1`,
      [subjectType, String(subjectId), action],
    );
    return row?.actorUserId ?? null;
  }

  /**
   * Which of `refs` (e.g. `12-v3`) an audit row of `action` on the subject already lists in
   * `after.<key>` (the stuck-entry notices record there whom they could not tell).
   */
  async listedIn(em: EntityManager, subjectType: string, subjectId: string | number, action: string, key: string, refs: readonly string[]): Promise<string[]> {
    if (!refs.length) return [];
    const rows: { ref: string }[] = await em.query(
      `SELECT DISTINCT ref FROM audit_log a, jsonb_array_elements_text(a.after -> $4::text) ref
        WHERE a.action = $3 AND a.subject_type = $1 AND a.subject_id = $2 AND ref = ANY($5)`,
      [subjectType, String(subjectId), action, key, refs],
    );
    return rows.map((r) => r.ref);
  }
}
