import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Actor,
  coProgressText,
  delegationPeriodText,
  delegationScopeText,
  ENTRY_STATE_LABELS,
  ENTRY_STATES_AWAITING_APPROVAL,
  entryActionsFor,
  EntryState,
  hasRole,
  isBuiltinEntryKey,
} from '@app/domain';
import { asOpened, CycleTemplate } from '@app/cycles';
import { canReadEntry, canWriteEntry, editableSnapshot, EntriesService, Entry } from '@app/entries';
import { DomainError, sqlWords } from '@app/common';
import { ApprovalRoutingService, roundStartSql } from './approval-routing.service';
import { coProgress, decideApprover, EDITING_AUDIT_ACTIONS, EntryRouting, fallbackNote, pendingStep } from './domain/approval-route';

interface InboxRow {
  id: number;
  cycleId: number;
  cycleLabel: string;
  sectionId: number;
  sectionName: string;
  itemId: number;
  itemNumber: number;
  itemSubNumber: string;
  itemTitle: string;
  state: EntryState;
  currentStep: number;
  stepLabel: string;
  routeNotes: string[];
  rating: string | null;
  version: number;
  submittedAt: Date | null;
  reviewDeadline: string;
}

/**
 * Whether the user `u` (SQL) may not act on the entry `e` at the step `st`: they wrote it, or,
 * with segregation of duties, approved a step of its current submission (isBarred in the domain).
 */
const barredSql = (u: string) => `(${u} IN (e.author_user_id, e.last_edited_by)
        OR EXISTS (SELECT 1 FROM audit_log a
                    WHERE a.subject_type = 'entry' AND a.subject_id = e.id::text
                      AND (a.actor_user_id = ${u} OR a.on_behalf_of_user_id = ${u})
                      AND (a.action = ANY($6) OR (st.sod AND a.action = 'entry.approve' AND a.id > ${roundStartSql('e.id::text')}))))`;

/**
 * One page of the entries waiting for the caller, directly or for a principal who delegated to
 * them, filtered in SQL by the same rules decideApprover applies (which still checks each row of
 * the page). Each branch starts from the holder's own work through an index, never from all
 * waiting entries of the city: the chief's sections, the evaluator's items (and, for items with
 * no named evaluator, the departments they head), and the planning steps of open cycles (for
 * planning, the city's planning queue is their own work). Indexes: migration 1732000009200.
 *
 * $1 holder ids, $2 the section each holder is chief of (or null), $3 whether each is planning,
 * $4 each holder's rank (0: the caller, then delegation order), $5 the caller, $6 the editing
 * audit actions, $7 page size, $8 the cursor's sort key (or null).
 * Order: review deadline, cycle, section name, section, item number, sub number, entry.
 */
const AWAITING = sqlWords(ENTRY_STATES_AWAITING_APPROVAL);
const INBOX_PAGE = `
  WITH holder AS (
    SELECT * FROM unnest($1::int[], $2::int[], $3::bool[], $4::int[]) AS h(user_id, chief_section_id, planning, rank)
  ), step AS (
    -- sod: segregation of duties; head_first: the evaluator's step falls to the department head
    -- before planning (the template's fallback chain, readApprovalOptions' defaults when absent).
    SELECT c.id AS cycle_id, c.review_deadline, (r.ord - 1)::int AS step, r.def ->> 'kind' AS kind, r.def ->> 'label' AS label,
           COALESCE((o.opts ->> 'segregation')::boolean, true) AS sod,
           COALESCE(o.opts -> 'fallbackApprovers' ->> 0, 'department_head') = 'department_head' AS head_first,
           r.def -> 'co' ->> 'parties' AS co_parties, COALESCE(r.def -> 'co' -> 'userIds', '[]') AS co_users
      FROM cycles c JOIN cycle_templates t ON t.id = c.template_id
      CROSS JOIN LATERAL (SELECT COALESCE(c.rules -> 'approvalOptions', t.approval_options) AS opts) o
      CROSS JOIN LATERAL jsonb_array_elements(COALESCE(c.rules -> 'approvalRoute', t.approval_route)) WITH ORDINALITY r(def, ord)
     WHERE c.state = 'open'
  ), held AS (
    -- Each waiting entry a holder holds the step of, with what the order needs, so nothing is read twice.
    SELECT e.id, e.cycle_id, e.section_id, e.author_user_id, e.last_edited_by, h.user_id, h.rank,
           st.review_deadline, s.name AS section_name, i.number, i.sub_number
      FROM holder h
      JOIN entries e ON e.section_id = h.chief_section_id AND e.state IN (${AWAITING})
      JOIN step st ON st.cycle_id = e.cycle_id AND st.step = e.current_step AND st.kind = 'section_chief'
      JOIN sections s ON s.id = e.section_id
      JOIN plan_items i ON i.id = e.item_id
    UNION ALL
    SELECT e.id, e.cycle_id, e.section_id, e.author_user_id, e.last_edited_by, h.user_id, h.rank,
           st.review_deadline, s.name, i.number, i.sub_number
      FROM holder h
      JOIN plan_items i ON i.evaluator_user_id = h.user_id
      JOIN entries e ON e.item_id = i.id AND e.state IN (${AWAITING})
      JOIN step st ON st.cycle_id = e.cycle_id AND st.step = e.current_step AND st.kind = 'evaluator'
      JOIN sections s ON s.id = e.section_id
    UNION ALL
    SELECT e.id, e.cycle_id, e.section_id, e.author_user_id, e.last_edited_by, h.user_id, h.rank,
           st.review_deadline, s.name, i.number, i.sub_number
      FROM holder h
      JOIN departments d ON d.head_user_id = h.user_id
      JOIN sections s ON s.department_id = d.id
      JOIN entries e ON e.section_id = s.id AND e.state IN (${AWAITING})
      JOIN plan_items i ON i.id = e.item_id AND i.evaluator_user_id IS NULL
      JOIN step st ON st.cycle_id = e.cycle_id AND st.step = e.current_step AND st.kind = 'evaluator'
    UNION ALL
    -- The evaluator step falls to the department head when the named evaluator may not act on
    -- the entry: they wrote it, or approved its earlier step (evaluatorTier in the domain).
    SELECT e.id, e.cycle_id, e.section_id, e.author_user_id, e.last_edited_by, h.user_id, h.rank,
           st.review_deadline, s.name, i.number, i.sub_number
      FROM holder h
      JOIN departments d ON d.head_user_id = h.user_id
      JOIN sections s ON s.department_id = d.id
      JOIN entries e ON e.section_id = s.id AND e.state IN (${AWAITING})
      JOIN plan_items i ON i.id = e.item_id AND i.evaluator_user_id IS NOT NULL AND i.evaluator_user_id <> h.user_id
      JOIN step st ON st.cycle_id = e.cycle_id AND st.step = e.current_step AND st.kind = 'evaluator' AND st.head_first
     WHERE ${barredSql('i.evaluator_user_id')}
    UNION ALL
    -- ... and to planning when there is neither a named evaluator nor a department head, or
    -- when the one named may not act and the department head may not either (or comes after
    -- planning in the template's chain).
    SELECT e.id, e.cycle_id, e.section_id, e.author_user_id, e.last_edited_by, h.user_id, h.rank,
           st.review_deadline, s.name, i.number, i.sub_number
      FROM holder h
      JOIN step st ON h.planning AND st.kind = 'evaluator'
      JOIN entries e ON e.cycle_id = st.cycle_id AND e.current_step = st.step AND e.state IN (${AWAITING})
      JOIN plan_items i ON i.id = e.item_id
      JOIN sections s ON s.id = e.section_id
      JOIN departments d ON d.id = s.department_id
     WHERE (i.evaluator_user_id IS NULL AND d.head_user_id IS NULL)
        OR (${barredSql('COALESCE(i.evaluator_user_id, d.head_user_id)')}
            AND (NOT st.head_first OR d.head_user_id IS NULL OR d.head_user_id = COALESCE(i.evaluator_user_id, d.head_user_id) OR ${barredSql('d.head_user_id')}))
    UNION ALL
    SELECT e.id, e.cycle_id, e.section_id, e.author_user_id, e.last_edited_by, h.user_id, h.rank,
           st.review_deadline, s.name, i.number, i.sub_number
      FROM holder h
      JOIN step st ON h.planning AND st.kind = 'planning'
      JOIN entries e ON e.cycle_id = st.cycle_id AND e.current_step = st.step AND e.state IN (${AWAITING})
      JOIN sections s ON s.id = e.section_id
      JOIN plan_items i ON i.id = e.item_id
    UNION ALL
    -- 合議: a party that has not approved yet, as a named user or the chief of another section of the item.
    SELECT e.id, e.cycle_id, e.section_id, e.author_user_id, e.last_edited_by, h.user_id, h.rank,
           st.review_deadline, s.name, i.number, i.sub_number
      FROM holder h
      JOIN step st ON st.kind = 'co_approval'
      JOIN entries e ON e.cycle_id = st.cycle_id AND e.current_step = st.step AND e.state IN (${AWAITING})
      JOIN sections s ON s.id = e.section_id
      JOIN plan_items i ON i.id = e.item_id
     WHERE ((st.co_parties = 'named' AND st.co_users @> to_jsonb(h.user_id))
         OR (st.co_parties = 'item_sections' AND h.chief_section_id IS NOT NULL AND h.chief_section_id <> e.section_id
             AND EXISTS (SELECT 1 FROM plan_item_sections p WHERE p.item_id = e.item_id AND p.section_id = h.chief_section_id)))
       AND NOT EXISTS (SELECT 1 FROM co_approvals ca
                        WHERE ca.entry_id = e.id AND ca.step = e.current_step
                          AND (ca.user_id = h.user_id OR ca.acted_by = h.user_id
                               OR ca.seat = CASE WHEN st.co_parties = 'named' THEN 'u:' || h.user_id ELSE 's:' || h.chief_section_id END))
  ), written AS (
    -- What the holders wrote (segregation of duties), from their own audit rows.
    SELECT DISTINCT a.subject_id::int AS id, x AS user_id
      FROM audit_log a, LATERAL (VALUES (a.actor_user_id), (a.on_behalf_of_user_id)) v(x)
     WHERE a.subject_type = 'entry' AND a.action = ANY($6) AND (a.actor_user_id = ANY($1) OR a.on_behalf_of_user_id = ANY($1)) AND x = ANY($1)
  ), mine AS (
    SELECT DISTINCT ON (hd.id) hd.*
      FROM held hd
     WHERE hd.user_id IS DISTINCT FROM hd.author_user_id AND hd.user_id IS DISTINCT FROM hd.last_edited_by
       AND $5 IS DISTINCT FROM hd.author_user_id AND $5 IS DISTINCT FROM hd.last_edited_by
       AND NOT EXISTS (SELECT 1 FROM written w WHERE w.id = hd.id AND w.user_id IN (hd.user_id, $5))
     ORDER BY hd.id, hd.rank
  ), counts AS (
    SELECT cycle_id, section_id, count(*) AS n FROM mine GROUP BY cycle_id, section_id
  ), page AS (
    SELECT * FROM mine
     WHERE $8::text[] IS NULL
        OR (review_deadline, cycle_id, section_name, section_id, number, sub_number, id)
           > ($8[1]::date, $8[2]::int, $8[3], $8[4]::int, $8[5]::int, $8[6], $8[7]::int)
     ORDER BY review_deadline, cycle_id, section_name, section_id, number, sub_number, id
     LIMIT $7
  )
  SELECT e.id, e.cycle_id AS "cycleId", c.label AS "cycleLabel", e.section_id AS "sectionId", p.section_name AS "sectionName",
         e.item_id AS "itemId", p.number AS "itemNumber", p.sub_number AS "itemSubNumber", i.title AS "itemTitle",
         e.state, e.current_step AS "currentStep", st.label AS "stepLabel", e.route_notes AS "routeNotes",
         e.rating, e.version, e.submitted_at AS "submittedAt", to_char(c.review_deadline, 'YYYY-MM-DD') AS "reviewDeadline",
         (SELECT sum(n) FROM counts) AS total,
         (SELECT sum(n) FROM counts x WHERE x.cycle_id = e.cycle_id) AS "cycleCount",
         (SELECT n FROM counts x WHERE x.cycle_id = e.cycle_id AND x.section_id = e.section_id) AS "sectionCount"
    FROM page p
    JOIN entries e ON e.id = p.id
    JOIN cycles c ON c.id = e.cycle_id
    JOIN step st ON st.cycle_id = e.cycle_id AND st.step = e.current_step
    JOIN plan_items i ON i.id = e.item_id
   ORDER BY p.review_deadline, p.cycle_id, p.section_name, p.section_id, p.number, p.sub_number, p.id`;

/** The SQL answer's shape: an inbox row with the counts and the sort key of its page. */
interface InboxPageRow extends InboxRow {
  total: string;
  cycleCount: string;
  sectionCount: string;
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
    // The caller first, then each active principal in the order decideApprover tries them.
    const holders = [me, ...principals.filter((p) => p.active && p.id !== me.id)];
    const rank = (id: number) => (id === me.id ? 0 : 1 + delegations.findIndex((d) => d.fromUserId === id));
    const rows: InboxPageRow[] = await em.query(INBOX_PAGE, [
      holders.map((u) => u.id),
      holders.map((u) => (u.roles.includes('chief') ? u.sectionId : null)),
      holders.map((u) => u.roles.includes('planning')),
      holders.map((u) => rank(u.id)),
      me.id,
      EDITING_AUDIT_ACTIONS,
      // One more than the page: whether there is a next page.
      limit + 1,
      after,
    ]);
    const more = rows.length > limit;
    if (more) rows.pop();
    // The domain rules have the last word on each row of the page (and say for whom).
    const routing = await this.routing.routing(
      em,
      rows.map((r) => r.id),
    );
    const groups = new Map<number, { cycleId: number; cycleLabel: string; count: number; sections: Map<number, ReturnType<typeof sectionGroup>> }>();
    for (const row of rows) {
      const decision = decideApprover(me, routing.get(row.id)!, principals, delegations, today);
      if (!decision.allowed) continue;
      const principal = decision.acting ? principals.find((p) => p.id === decision.principalId)! : null;
      const cycle = groups.get(row.cycleId) ?? { cycleId: row.cycleId, cycleLabel: row.cycleLabel, count: Number(row.cycleCount), sections: new Map() };
      groups.set(row.cycleId, cycle);
      const section = cycle.sections.get(row.sectionId) ?? sectionGroup(row, Number(row.sectionCount));
      cycle.sections.set(row.sectionId, section);
      const { total: _t, cycleCount: _c, sectionCount: _s, routeNotes: _r, ...entry } = row;
      section.entries.push({
        ...entry,
        stateLabel: ENTRY_STATE_LABELS[row.state],
        acting: decision.acting,
        onBehalfOf: principal ? { userId: principal.id, name: principal.name } : null,
        // Why the route looks as it does: steps passed at submission, the step re-addressed now.
        ...notesOf(row.routeNotes, fallbackNote(routing.get(row.id)!)),
        stepText: stepText(routing.get(row.id)!),
      });
    }
    const last = more ? rows[rows.length - 1] : null;
    return {
      // An empty page after a cursor: what followed it was approved or returned meanwhile.
      total: rows.length ? Number(rows[0].total) : 0,
      limit,
      nextCursor: last ? cursorOf(last) : null,
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
    const [cycle] = await this.dataSource.query(`SELECT template_id AS "templateId", rules FROM cycles WHERE id = $1`, [entry.cycleId]);
    const template = asOpened(await this.dataSource.getRepository(CycleTemplate).findOneByOrFail({ id: cycle.templateId }), cycle.rules);
    // Every entry field of the cycle's form, in its order; the rating first unless the form places it.
    const formFields = template.fields.filter((f) => f.scope === 'entry');
    const defs = formFields.some((f) => f.type === 'rating')
      ? formFields
      : [{ key: 'rating', label: RATING_LABEL, type: 'rating' as const, scope: 'entry' as const }, ...formFields];
    const fields = defs.map((f) => f.key);
    const pick = (data: Record<string, unknown> | null | undefined, key: string): unknown =>
      !data ? null : isBuiltinEntryKey(key) ? data[key] : ((data.values as Record<string, unknown> | undefined)?.[key] ?? null);
    const current = editableSnapshot(entry) as Record<string, unknown>;
    const versions: { version: number; state: EntryState; data: Record<string, unknown> }[] = await this.dataSource.query(
      `SELECT version, state, data FROM entry_versions WHERE entry_id = $1 AND version < $2 ORDER BY version DESC`,
      [id, entry.version],
    );
    const differs = (v: { data: Record<string, unknown> }) => fields.some((f) => !same(pick(v.data, f), pick(current, f)));
    const reviewed = (s: EntryState) => s === 'submitted' || s === 'in_review' || s === 'accepted';
    const baseline = versions.find((v) => reviewed(v.state) && differs(v)) ?? versions.find(differs) ?? null;
    const previous = entry.previousEntryId ? await this.dataSource.getRepository(Entry).findOneBy({ id: entry.previousEntryId }) : null;
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

function sectionGroup(row: InboxRow, count: number) {
  return { sectionId: row.sectionId, sectionName: row.sectionName, count, entries: [] as unknown[] };
}

/** The page's last sort key, opaque to the client. */
function cursorOf(row: InboxPageRow): string {
  return Buffer.from(JSON.stringify([row.reviewDeadline, row.cycleId, row.sectionName, row.sectionId, row.itemNumber, row.itemSubNumber, row.id])).toString(
    'base64url',
  );
}

function parseCursor(cursor: string): string[] {
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
      return key.map(String);
    }
  } catch {
    // answered below
  }
  throw new DomainError('bad_request', 'cursor が不正です(前のページの nextCursor を指定してください)', { field: 'cursor' });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
