import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApprovalRoutingService } from '@app/approvals';
import { CycleRoutesService } from '@app/cycles';
import { EntryReadFilter, EntryReads } from '@app/entries';
import { SectionDirectory, UserDirectory } from '@app/org';
import { ItemReads } from '@app/plan-items';
import { ENTRY_STATE_LABELS, ENTRY_STATES, ENTRY_STATES_AWAITING_APPROVAL, ENTRY_STATES_NOT_SUBMITTED, EntryState, tokyoToday } from '@app/domain';
import { percent } from './domain/tally';
import { ReportDataService, ReportScope } from './report-data.service';

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
    private readonly routes: CycleRoutesService,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly sectionDirectory: SectionDirectory,
    private readonly users: UserDirectory,
  ) {}

  async forCycle(cycleId: number, asOf: string = tokyoToday(), scope: ReportScope = null) {
    const [ctx, filter] = await Promise.all([this.data.context(cycleId), this.entries.filterOf(scope)]);
    const counted = await this.entries.stateCounts(cycleId, filter);
    const places = await this.places(counted.map((c) => c.sectionId));
    const grouped = counted
      .filter((c) => places.has(c.sectionId))
      .map((c) => ({ ...places.get(c.sectionId)!, state: c.state, n: c.n }))
      .sort((a, b) => a.department_id - b.department_id || a.section_id - b.section_id);
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
    const late = submissionLate ? await this.entriesIn(cycleId, NOT_SUBMITTED, filter) : [];
    // Read once: the late ones (after the review deadline) and those nobody can approve.
    const awaitingReview = await this.entriesIn(cycleId, AWAITING_REVIEW, filter);
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

  private chiefsBySection(sectionIds: number[]): Promise<Map<number, string[]>> {
    return this.users.chiefsOf(sectionIds);
  }

  /** Each section (current name) with its department, by section id. */
  private async places(sectionIds: number[]) {
    const sections = await this.sectionDirectory.withDepartments(sectionIds);
    return new Map(
      [...sections.values()].map((s) => [s.id, { section_id: s.id, section_name: s.name, department_id: s.departmentId, department_name: s.departmentName }]),
    );
  }

  /** The cycle's entries in `states` within the reader's scope, with the approval step each waits at. */
  private async entriesIn(cycleId: number, states: readonly EntryState[], filter: EntryReadFilter | null): Promise<LateRow[]> {
    const found = await this.entries.inStates(cycleId, states, filter);
    if (!found.length) return [];
    const [heads, places, route] = await Promise.all([
      this.items.headsOf(found.map((e) => e.itemId)),
      this.places(found.map((e) => e.sectionId)),
      this.routes.routeOf(cycleId),
    ]);
    const rank = new Map(heads.map((h, i) => [h.id, { ...h, rank: i }]));
    return found
      .filter((e) => rank.has(e.itemId) && places.has(e.sectionId))
      .map((e) => ({ e, item: rank.get(e.itemId)!, place: places.get(e.sectionId)! }))
      .sort((a, b) => a.place.department_id - b.place.department_id || a.place.section_id - b.place.section_id || a.item.rank - b.item.rank)
      .map(({ e, item, place }) => ({
        entryId: e.id,
        state: e.state,
        currentStep: e.currentStep,
        number: item.number,
        subNumber: item.subNumber,
        title: item.title,
        sectionId: place.section_id,
        sectionName: place.section_name,
        departmentName: place.department_name,
        stepLabel: route[e.currentStep]?.label ?? null,
      }));
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
