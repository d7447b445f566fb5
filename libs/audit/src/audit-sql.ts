/*
 * SQL fragments over `audit_log` that other libs compose into their own statements on hot paths
 * (the approve path asks who wrote and who approved an entry in the same query as the rest of its
 * routing facts). The owner keeps the table's shape here; callers pass SQL text of the entry id.
 *
 * That id must be a text column or parameter, never a cast (`e.id::text`): under row-level
 * security only a leakproof condition may use an index, a cast is not one, and the read became a
 * filter over every entry row of the log.
 */

/**
 * The users the audit log names as writers of the entry whose id (as text) is `entryId`: the
 * actor and principal of each audit row whose action is in `actions` (SQL text of a text[]).
 * Selects one column `x`.
 */
export const entryEditorsSql = (entryId: string, actions: string) => `
  SELECT x FROM audit_log a, LATERAL (VALUES (a.actor_user_id), (a.on_behalf_of_user_id)) v(x)
   WHERE a.subject_type = 'entry' AND a.subject_id = ${entryId} AND a.action = ANY(${actions}) AND x IS NOT NULL`;

/**
 * The audit id at which the entry's current submission began (its last submit, return, withdraw
 * or reopen; 0 if none): approvals after it belong to this round. `entryId` is the SQL text of
 * the entry's id.
 */
export const entryRoundStartSql = (entryId: string) =>
  `COALESCE((SELECT max(b.id) FROM audit_log b WHERE b.subject_type = 'entry' AND b.subject_id = ${entryId}
              AND b.action IN ('entry.submit', 'entry.return', 'entry.withdraw', 'entry.reopen')), 0)`;

/** Who approved a step of the entry's current submission (as actor or as the principal of a 代決); one column `x`. */
export const entryRoundApproversSql = (entryId: string) => `
  SELECT x FROM audit_log a, LATERAL (VALUES (a.actor_user_id), (a.on_behalf_of_user_id)) v(x)
   WHERE a.subject_type = 'entry' AND a.subject_id = ${entryId} AND a.action = 'entry.approve' AND x IS NOT NULL
     AND a.id > ${entryRoundStartSql(entryId)}`;
