import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, safeFilename } from '@app/common';
import { Cycle, CycleTemplate, CyclesService, RatingScalesService, TemplatesService } from '@app/cycles';
import { AuditReads } from '@app/audit';
import { RecommendationReads } from '@app/approvals';
import { CycleReads } from '@app/cycles';
import { EntryReadScope, entryReadScope, EntryReads, ScopeValuesService } from '@app/entries';
import { allowLongStatements } from '@app/database';
import { Actor, eraYearLabel, normaliseForm, Period, periodFromKey, RatingScale } from '@app/domain';
import { DepartmentDirectory, SectionDirectory, UserDirectory } from '@app/org';
import { ItemReads, PlanReads } from '@app/plan-items';
import { Audience, ColumnModel, columnModel } from './columns/column-model';
import type { ReportEntry } from './columns/report-entry';
import { ReportRowAssembler } from './report-rows';

/** How the rows come: by item (the published lists) or by department first (department headings). */
// vocabulary-check: not FIELD_SCOPES, a sort order that happens to share two words with it
export type RowOrder = 'item' | 'department';

/** A cycle with everything a report header needs. */
export interface CycleContext {
  cycle: Cycle;
  template: CycleTemplate;
  scale: RatingScale;
  period: Period;
  /** '令和6年度' */
  fiscalYearLabel: string;
  /** '令和6年度上半期': the base of export file names. */
  fileBase: string;
}

/** One row of a cycle's list, as the reports read it (see columns/report-entry.ts). */
export type ReportRow = ReportEntry;

/**
 * Whose entries a reader may see listed: null for planning and admin (all); otherwise exactly
 * the entries GET /api/entries/:id lets them read (canReadEntry, as entryReadScope), applied by
 * libs/entries (EntryReads). Counts (summaries) stay city-wide; lists of entries follow the
 * entry's own access rule.
 */
export type ReportScope = EntryReadScope;

export function reportScope(actor: Actor): ReportScope {
  return entryReadScope(actor);
}

export interface RowFilter {
  acceptedOnly: boolean;
  scope?: ReportScope;
  /** By item (default) or department first, for reports with department headings. */
  order?: RowOrder;
  /** Read each entry's ratings of earlier fiscal years (the per-year table of a sheet). */
  history?: boolean;
  /** Read the item's KPIs (default true); see rowNeeds. */
  kpis?: boolean;
  /** Read the approvals from the audit log (default true); see rowNeeds. */
  approvals?: boolean;
}

/**
 * What a model reads beyond the entry itself: the item's KPIs when the form has a KPI table
 * or a rule reads a KPI shortfall, the approvals when the workflow is printed (internal).
 */
export function rowNeeds(model: ColumnModel): Pick<RowFilter, 'kpis' | 'approvals'> {
  const fields = model.spec.fields;
  return {
    kpis: fields.some((f) => f.type === 'kpi_table') || JSON.stringify(fields.map((f) => [f.required, f.visible])).includes('kpiShortfall'),
    approvals: model.spec.audience === 'internal',
  };
}

export const BATCH_SIZE = 1000;

/** Shared reads of the report views: the cycle's context and its entries in keyset-paginated batches. */
@Injectable()
export class ReportDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cycles: CyclesService,
    private readonly templates: TemplatesService,
    private readonly scales: RatingScalesService,
    private readonly scopeValues: ScopeValuesService,
    private readonly departments: DepartmentDirectory,
    private readonly cycleReads: CycleReads,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly plans: PlanReads,
    private readonly sections: SectionDirectory,
    private readonly users: UserDirectory,
    private readonly audit: AuditReads,
    private readonly recommendations: RecommendationReads,
  ) {}

  async context(cycleId: number): Promise<CycleContext> {
    return this.contextOf(await this.cycles.get(cycleId));
  }

  /** The context of a published cycle; any other cycle is reported as absent (404), not forbidden. */
  async publishedContext(cycleId: number): Promise<CycleContext> {
    if (!(await this.cycleReads.isPublished(cycleId))) throw DomainError.notFound('公表済みのサイクル', cycleId);
    return this.context(cycleId);
  }

  async contextOf(cycle: Cycle): Promise<CycleContext> {
    const template = await this.templates.forCycle(cycle);
    const scale = await this.scales.get(template.scaleCode);
    const period = periodFromKey(template.periodType, cycle.periodKey);
    return {
      cycle,
      template,
      scale,
      period,
      fiscalYearLabel: eraYearLabel(cycle.fiscalYear),
      fileBase: safeFilename(period.label.replace(/\s+/g, '')),
    };
  }

  /**
   * The cycle's entries in item order (or by department first), with the department's and
   * section's values of the cycle attached, BATCH_SIZE rows at a time, from a server-side cursor in
   * a read-only REPEATABLE READ transaction: one sort for the whole cycle, one consistent
   * snapshot, and never more than a batch in memory. The connection is held until the
   * consumer finishes or stops (the generator's finally releases it).
   */
  async *batches(cycleId: number, filter: RowFilter, batchSize = BATCH_SIZE): AsyncGenerator<ReportRow[]> {
    const cycle = await this.cycles.get(cycleId);
    const template = await this.templates.forCycle(cycle);
    const [scopes, items, readFilter, earlierCycles, byDepartment, departmentNames] = await Promise.all([
      this.scopeValues.listForCycle(cycleId),
      this.items.orderOfPlan(template.planId),
      this.entries.filterOf(filter.scope ?? null),
      filter.history ? this.cycleReads.earlierOfTemplate(cycle.templateId, cycle.fiscalYear) : Promise.resolve(null),
      (filter.order ?? 'item') === 'department' ? this.sectionDepartments(cycleId) : Promise.resolve(undefined),
      // Each department under the name it had at the end of the period (as its sections are).
      this.departments.allNamesAt(cycle.periodEnd),
    ]);
    const assembler = new ReportRowAssembler(
      {
        entries: this.entries,
        items: this.items,
        sections: this.sections,
        users: this.users,
        audit: this.audit,
        recommendations: this.recommendations,
      },
      {
        cycleId,
        periodEnd: cycle.periodEnd,
        departmentNames,
        kpis: filter.kpis ?? true,
        approvals: filter.approvals ?? true,
        earlierCycles,
        scopeValues: new Map(scopes.map((v) => [`${v.scope}:${v.scopeId}`, v.values ?? {}])),
      },
    );
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`SET TRANSACTION READ ONLY`);
      // The transaction idles while a slow client downloads a batch: not a stalled process.
      await allowLongStatements(runner.manager);
      await this.entries.declareCycleCursor(runner.manager, 'report_rows', cycleId, {
        acceptedOnly: filter.acceptedOnly,
        filter: readFilter,
        order: { items, byDepartment },
      });
      for (;;) {
        const rows = await this.entries.fetchRows(runner.manager, 'report_rows', batchSize);
        if (rows.length === 0) break;
        yield await assembler.assemble(rows, runner.manager);
        if (rows.length < batchSize) break;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /** Each section of the cycle's entries with its department, as two parallel arrays (the department order). */
  private async sectionDepartments(cycleId: number): Promise<{ sectionIds: number[]; departmentIds: number[] }> {
    const sections = [...(await this.sections.rows(await this.entries.sectionIdsOf(cycleId))).values()];
    return { sectionIds: sections.map((s) => s.id), departmentIds: sections.map((s) => s.departmentId) };
  }

  /** The form's field keys that hold a value somewhere in the report (a layout hint for print). */
  async filledKeys(cycleId: number, acceptedOnly: boolean): Promise<Set<string>> {
    return this.entries.filledKeys(cycleId, acceptedOnly);
  }

  /**
   * The column model of the cycle for a reader: the form the cycle runs, the plan's item
   * attributes, which optional item columns the cycle fills and its largest KPI table.
   */
  async model(ctx: CycleContext, audience: Audience): Promise<ColumnModel> {
    const [plan, pairs, previousPlaces] = await Promise.all([
      this.plans.row(ctx.template.planId),
      this.entries.pairsOf(ctx.cycle.id),
      this.entries.previousPlacesOf(ctx.cycle.id),
    ]);
    const [{ kpiSlots, ...items }, externalReview] = await Promise.all([
      this.items.presenceOf(pairs),
      this.recommendations.anyOn(ctx.cycle.id, previousPlaces),
    ]);
    const present = { ...items, externalReview };
    return columnModel({
      fields: ctx.template.fields,
      itemFields: normaliseForm(plan?.itemFields ?? []).filter((f) => f.scope === 'item'),
      scale: ctx.scale,
      fiscalYear: ctx.cycle.fiscalYear,
      kpiSlots,
      present,
      audience,
    });
  }
}
