import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** One approval of an entry as the audit log holds it (people by id; their names are org's). */
export interface EntryApprovalRow {
  actorUserId: number | null;
  onBehalfOfUserId: number | null;
  acting: boolean;
}

/** An audit row for an extract (the record of a closed cycle): people by id. */
export interface AuditExtractSourceRow {
  id: string;
  chainSeq: string | null;
  hash: string | null;
  /** Tokyo time, ISO with +09:00. */
  at: string;
  action: string;
  subjectType: string;
  subjectId: string;
  actorUserId: number | null;
  onBehalfOfUserId: number | null;
  acting: boolean;
  before: unknown;
  after: unknown;
  comment: string | null;
}

/** An audit row of an entry as the cycle's audit CSV shows it (people by id; `entryId` as the log holds it, text). */
export interface EntryAuditExportRow {
  /** Tokyo time, `YYYY-MM-DD HH24:MI:SS`. */
  at: string;
  action: string;
  entryId: string;
  actorUserId: number | null;
  onBehalfOfUserId: number | null;
  acting: boolean;
  beforeState: string | null;
  afterState: string | null;
  comment: string | null;
}

/** Typed reads of `audit_log` for other libs' read models (which never query it). */
/**
 * The approvals of each entry ($1, ids as text) since its submission ($2). The ids as text: a
 * cast of an id column is not leakproof, so under row-level security it could not be the index
 * condition and the join filtered every entry row of the log (see audit-sql.ts).
 */
export const ENTRY_APPROVALS_SQL = `SELECT p.sid::int AS "entryId", a.actor_user_id AS "actorUserId", a.on_behalf_of_user_id AS "onBehalfOfUserId", a.acting
   FROM unnest($1::text[], $2::timestamptz[]) p(sid, since)
   JOIN audit_log a ON a.subject_type = 'entry' AND a.subject_id = p.sid AND a.action = 'entry.approve'
                   AND a.at >= coalesce(p.since, '-infinity')
  ORDER BY a.id`;

@Injectable()
export class AuditReads {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The `entry.approve` rows of each entry since its `since` (its last submission: a return
   * starts the route again), in log order.
   */
  async entryApprovalsSince(
    entries: readonly { id: number; since: Date | string | null }[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, EntryApprovalRow[]>> {
    if (!entries.length) return new Map();
    const rows: (EntryApprovalRow & { entryId: number })[] = await em.query(ENTRY_APPROVALS_SQL, [
      entries.map((e) => String(e.id)),
      entries.map((e) => e.since),
    ]);
    const map = new Map<number, EntryApprovalRow[]>();
    for (const { entryId, ...r } of rows) map.set(entryId, [...(map.get(entryId) ?? []), r]);
    return map;
  }

  /** Every audit row of these subjects, in log order. */
  rowsOfSubjects(subjects: readonly { type: string; id: string | number }[]): Promise<AuditExtractSourceRow[]> {
    if (!subjects.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT a.id, a.chain_seq AS "chainSeq", encode(a.hash, 'hex') AS hash,
              to_char(a.at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD"T"HH24:MI:SS"+09:00"') AS at,
              a.action, a.subject_type AS "subjectType", a.subject_id AS "subjectId",
              a.actor_user_id AS "actorUserId", a.on_behalf_of_user_id AS "onBehalfOfUserId",
              a.acting, a.before, a.after, a.comment
         FROM unnest($1::text[], $2::text[]) s(type, id)
         JOIN audit_log a ON a.subject_type = s.type AND a.subject_id = s.id
        ORDER BY a.id`,
      [subjects.map((s) => s.type), subjects.map((s) => String(s.id))],
    );
  }

  /** Whether `userId` approved or returned the entry at some time (they keep reading what they decided). */
  async hasDecidedEntry(entryId: number, userId: number, em: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await em.query(
      `SELECT 1 FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 AND action IN ('entry.approve', 'entry.return') AND actor_user_id = $2 LIMIT 1`,
      [String(entryId), userId],
    );
    return !!row;
  }

  /** Every audit row of these entries for the cycle's audit CSV, in log order (people by id; Tokyo time). */
  entryRowsForExport(entryIds: readonly number[]): Promise<EntryAuditExportRow[]> {
    if (!entryIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT to_char(a.at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI:SS') AS at, a.action, a.subject_id AS "entryId",
              a.actor_user_id AS "actorUserId", a.on_behalf_of_user_id AS "onBehalfOfUserId",
              a.acting, a.before ->> 'state' AS "beforeState", a.after ->> 'state' AS "afterState", a.comment
         FROM audit_log a
        WHERE a.subject_type = 'entry' AND a.subject_id = ANY($1::text[])
        ORDER BY a.id`,
      [entryIds.map(String)],
    );
  }
}
