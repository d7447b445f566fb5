import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, delegationPeriodText, delegationScopeText, ENTRY_STATE_LABELS, entryActionsFor, EntryState, hasRole, isBuiltinEntryKey } from '@app/domain';
import { asOpened, CycleTemplate } from '@app/cycles';
import { canReadEntry, canWriteEntry, editableSnapshot, EntriesService, Entry } from '@app/entries';
import { DomainError } from '@app/common';
import { ApprovalRoutingService } from './approval-routing.service';
import { decideApprover, fallbackNote } from './domain/approval-route';

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
  rating: string | null;
  version: number;
  submittedAt: Date | null;
  reviewDeadline: string;
}

/** Entries whose pending step could be the caller's or a delegator's; decideApprover then decides. */
const INBOX_CANDIDATES = `
  SELECT e.id, e.cycle_id AS "cycleId", c.label AS "cycleLabel", e.section_id AS "sectionId", s.name AS "sectionName",
         e.item_id AS "itemId", i.number AS "itemNumber", i.sub_number AS "itemSubNumber", i.title AS "itemTitle",
         e.state, e.current_step AS "currentStep", COALESCE(c.rules -> 'approvalRoute', t.approval_route) -> e.current_step ->> 'label' AS "stepLabel",
         e.rating, e.version, e.submitted_at AS "submittedAt", to_char(c.review_deadline, 'YYYY-MM-DD') AS "reviewDeadline"
    FROM entries e
    JOIN cycles c ON c.id = e.cycle_id
    JOIN cycle_templates t ON t.id = c.template_id
    JOIN sections s ON s.id = e.section_id
    JOIN departments d ON d.id = s.department_id
    JOIN plan_items i ON i.id = e.item_id
   WHERE e.state IN ('submitted', 'in_review') AND c.state = 'open'
     AND CASE COALESCE(c.rules -> 'approvalRoute', t.approval_route) -> e.current_step ->> 'kind'
           WHEN 'section_chief' THEN e.section_id = ANY($1)
           -- the named evaluator, or the department head or planning when the step falls to them (evaluatorTier)
           WHEN 'evaluator' THEN COALESCE(i.evaluator_user_id, d.head_user_id) = ANY($2) OR d.head_user_id = ANY($2) OR $3
           WHEN 'planning' THEN $3
           ELSE false
         END
   ORDER BY c.review_deadline, c.id, s.name, s.id, i.number, i.sub_number, e.id`;

const RATING_LABEL = '評価';

/** What approvers read: their inbox, the diff of an entry, and the audit export of a cycle. */
@Injectable()
export class ApprovalViewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly routing: ApprovalRoutingService,
  ) {}

  /** Entries waiting for me, directly or through a delegation active today, grouped by cycle and section. */
  async inbox(actor: Actor) {
    const em = this.dataSource.manager;
    const { delegations, principals, today } = await this.routing.delegatorsOf(em, actor.id);
    const me = { ...actor, active: true };
    const everyone = [me, ...principals];
    const chiefSections = everyone.filter((u) => u.roles.includes('chief') && u.sectionId !== null).map((u) => u.sectionId);
    const candidates: InboxRow[] = await em.query(INBOX_CANDIDATES, [
      chiefSections,
      everyone.map((u) => u.id),
      everyone.some((u) => u.roles.includes('planning')),
    ]);
    const routing = await this.routing.routing(
      em,
      candidates.map((c) => c.id),
    );
    const groups = new Map<number, { cycleId: number; cycleLabel: string; sections: Map<number, ReturnType<typeof sectionGroup>> }>();
    let total = 0;
    for (const row of candidates) {
      const decision = decideApprover(me, routing.get(row.id)!, principals, delegations, today);
      if (!decision.allowed) continue;
      const principal = decision.acting ? principals.find((p) => p.id === decision.principalId)! : null;
      const cycle = groups.get(row.cycleId) ?? { cycleId: row.cycleId, cycleLabel: row.cycleLabel, sections: new Map() };
      groups.set(row.cycleId, cycle);
      const section = cycle.sections.get(row.sectionId) ?? sectionGroup(row);
      cycle.sections.set(row.sectionId, section);
      section.entries.push({
        ...row,
        stateLabel: ENTRY_STATE_LABELS[row.state],
        acting: decision.acting,
        onBehalfOf: principal ? { userId: principal.id, name: principal.name } : null,
        note: fallbackNote(routing.get(row.id)!),
      });
      section.count += 1;
      total += 1;
    }
    return {
      total,
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
      groups: [...groups.values()].map((g) => ({ cycleId: g.cycleId, cycleLabel: g.cycleLabel, sections: [...g.sections.values()] })),
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
    if (!decision.allowed && !canReadEntry(actor, scope)) throw DomainError.forbidden('このエントリーを閲覧する権限がありません');
    const open = cycleState === 'open';
    const actions = entryActionsFor(routing.state, {
      author: open && canWriteEntry(actor, scope),
      approver: open && decision.allowed,
      planning: open && hasRole(actor, 'planning'),
    });
    const principal = decision.allowed && decision.acting ? principals.find((p) => p.id === decision.principalId) : undefined;
    return {
      entryId: id,
      state: routing.state,
      actions,
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

function sectionGroup(row: InboxRow) {
  return { sectionId: row.sectionId, sectionName: row.sectionName, count: 0, entries: [] as unknown[] };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
