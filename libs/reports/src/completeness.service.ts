import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalRoutingService } from '@app/approvals';
import { ENTRY_STATE_LABELS, ENTRY_STATES, ENTRY_STATES_AWAITING_APPROVAL, ENTRY_STATES_NOT_SUBMITTED, EntryState, tokyoToday } from '@app/domain';
import { percent } from './domain/tally';
import { ReportDataService, ReportScope, scopeCondition, scopeParams } from './report-data.service';

export type StateCounts = Record<EntryState, number>;

export interface CompletenessGroup {
  total: number;
  counts: StateCounts;
  accepted: number;
  acceptedPercent: number;
}

/** Not submitted yet: the section has not sent it (or the cycle was force-closed without it). */
const NOT_SUBMITTED: readonly EntryState[] = ENTRY_STATES_NOT_SUBMITTED;
/** Waiting for an approver. */
const AWAITING_REVIEW: readonly EntryState[] = ENTRY_STATES_AWAITING_APPROVAL;

function emptyCounts(): StateCounts {
  return Object.fromEntries(ENTRY_STATES.map((s) => [s, 0])) as StateCounts;
}

function group(counts: StateCounts): CompletenessGroup {
  const total = ENTRY_STATES.reduce((sum, s) => sum + counts[s], 0);
  return { total, counts, accepted: counts.accepted, acceptedPercent: percent(counts.accepted, total) };
}

/** 提出状況: entries per state for each section and department, and who is late. */
@Injectable()
export class CompletenessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly data: ReportDataService,
    private readonly routing: ApprovalRoutingService,
  ) {}

  async forCycle(cycleId: number, asOf: string = tokyoToday(), scope: ReportScope = null) {
    const ctx = await this.data.context(cycleId);
    const grouped: {
      section_id: number;
      section_name: string;
      department_id: number;
      department_name: string;
      state: EntryState;
      n: number;
    }[] = await this.dataSource.query(
      `SELECT s.id AS section_id, s.name AS section_name, d.id AS department_id, d.name AS department_name,
              e.state, count(*)::int AS n
         FROM entries e JOIN sections s ON s.id = e.section_id JOIN departments d ON d.id = s.department_id
         JOIN plan_items i ON i.id = e.item_id
        WHERE e.cycle_id = $1 AND ${scopeCondition(2, 3)}
        GROUP BY s.id, s.name, d.id, d.name, e.state
        ORDER BY d.id, s.id`,
      [cycleId, ...scopeParams(scope)],
    );
    const chiefs = await this.chiefsBySection(grouped.map((g) => g.section_id));
    const sections = new Map<number, { sectionId: number; sectionName: string; departmentId: number; departmentName: string; counts: StateCounts }>();
    const departments = new Map<number, { departmentId: number; departmentName: string; counts: StateCounts }>();
    const totals = emptyCounts();
    for (const g of grouped) {
      const s = sections.get(g.section_id) ?? {
        sectionId: g.section_id,
        sectionName: g.section_name,
        departmentId: g.department_id,
        departmentName: g.department_name,
        counts: emptyCounts(),
      };
      s.counts[g.state] += g.n;
      sections.set(g.section_id, s);
      const d = departments.get(g.department_id) ?? { departmentId: g.department_id, departmentName: g.department_name, counts: emptyCounts() };
      d.counts[g.state] += g.n;
      departments.set(g.department_id, d);
      totals[g.state] += g.n;
    }
    const submissionLate = asOf > ctx.cycle.submissionDeadline;
    const reviewLate = asOf > ctx.cycle.reviewDeadline;
    const late = submissionLate ? await this.entriesIn(cycleId, NOT_SUBMITTED, scope) : [];
    // Read once: the late ones (after the review deadline) and those nobody can approve.
    const awaitingReview = await this.entriesIn(cycleId, AWAITING_REVIEW, scope);
    return {
      cycle: { id: ctx.cycle.id, label: ctx.cycle.label, state: ctx.cycle.state, fiscalYearLabel: ctx.fiscalYearLabel },
      asOf,
      submissionDeadline: ctx.cycle.submissionDeadline,
      reviewDeadline: ctx.cycle.reviewDeadline,
      stateLabels: ENTRY_STATE_LABELS,
      total: group(totals),
      sections: [...sections.values()].map(({ counts, ...s }) => ({ ...s, ...group(counts), chiefs: chiefs.get(s.sectionId) ?? [] })),
      departments: [...departments.values()].map(({ counts, ...d }) => ({ ...d, ...group(counts) })),
      lateSubmission: groupLateBySection(late, chiefs),
      lateReview: reviewLate ? awaitingReview.map(presentLate) : [],
      withoutApprover: await this.withoutApprover(awaitingReview),
    };
  }

  /**
   * Entries waiting for an approval that nobody can give: the step's position is vacant (no
   * department head, no chief) or everyone holding it wrote the entry. No reminder goes out for
   * them, so planning sees them here to fix the organisation data or the route.
   */
  private async withoutApprover(pending: LateRow[]) {
    if (pending.length === 0) return [];
    const approvers = await this.routing.pendingApprovers(
      this.dataSource.manager,
      pending.map((p) => p.entryId),
    );
    return pending.filter((p) => (approvers.get(p.entryId) ?? []).length === 0).map((p) => ({ ...presentLate(p), stepLabel: p.stepLabel }));
  }

  private async chiefsBySection(sectionIds: number[]): Promise<Map<number, string[]>> {
    if (sectionIds.length === 0) return new Map();
    const rows: { section_id: number; name: string }[] = await this.dataSource.query(
      `SELECT section_id, name FROM users
        WHERE section_id = ANY($1) AND active AND 'chief' = ANY(roles) ORDER BY section_id, id`,
      [[...new Set(sectionIds)]],
    );
    const map = new Map<number, string[]>();
    for (const r of rows) map.set(r.section_id, [...(map.get(r.section_id) ?? []), r.name]);
    return map;
  }

  /** The cycle's entries in `states` within the reader's scope, with the approval step each waits at. */
  private entriesIn(cycleId: number, states: readonly EntryState[], scope: ReportScope): Promise<LateRow[]> {
    return this.dataSource.query(
      `SELECT e.id AS "entryId", e.state, e.current_step AS "currentStep", i.number, i.sub_number AS "subNumber",
              i.title, s.id AS "sectionId", s.name AS "sectionName", d.name AS "departmentName",
              COALESCE(c.rules -> 'approvalRoute', t.approval_route) -> e.current_step ->> 'label' AS "stepLabel"
         FROM entries e
         JOIN cycles c ON c.id = e.cycle_id
         JOIN cycle_templates t ON t.id = c.template_id
         JOIN plan_items i ON i.id = e.item_id
         JOIN sections s ON s.id = e.section_id
         JOIN departments d ON d.id = s.department_id
        WHERE e.cycle_id = $1 AND e.state = ANY($2) AND ${scopeCondition(3, 4)}
        ORDER BY d.id, s.id, i.number, i.sub_number`,
      [cycleId, states, ...scopeParams(scope)],
    );
  }
}

interface LateRow {
  entryId: number;
  state: EntryState;
  currentStep: number;
  number: number;
  subNumber: string;
  title: string;
  sectionId: number;
  sectionName: string;
  departmentName: string;
  /** The label of the route step the entry is at (shown only where an approver is missing). */
  stepLabel: string | null;
}

function presentLate({ stepLabel: _step, ...r }: LateRow) {
  return { ...r, stateLabel: ENTRY_STATE_LABELS[r.state] };
}

function groupLateBySection(rows: LateRow[], chiefs: Map<number, string[]>) {
  const bySection = new Map<
    number,
    { sectionId: number; sectionName: string; departmentName: string; chiefs: string[]; entries: ReturnType<typeof presentLate>[] }
  >();
  for (const r of rows) {
    const s = bySection.get(r.sectionId) ?? {
      sectionId: r.sectionId,
      sectionName: r.sectionName,
      departmentName: r.departmentName,
      chiefs: chiefs.get(r.sectionId) ?? [],
      entries: [],
    };
    s.entries.push(presentLate(r));
    bySection.set(r.sectionId, s);
  }
  return [...bySection.values()];
}
