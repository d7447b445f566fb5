import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, safeFilename } from '@app/common';
import { Cycle, CycleTemplate, CyclesService, RatingScalesService, TemplatesService } from '@app/cycles';
import { ScopeValuesService } from '@app/entries';
import { allowLongStatements } from '@app/database';
import { OrgNamesService } from '@app/org';
import { Actor, canSeeAllSections, eraYearLabel, normaliseForm, Period, periodFromKey, RatingScale } from '@app/domain';
import { Audience, ColumnModel, columnModel, ItemPresence } from './columns/column-model';
import type { ReportEntry } from './columns/report-entry';
import { CYCLE_SHAPE_SQL, FILLED_KEYS_SQL, reportRowsSql, RowOrder } from './report-rows.sql';

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
 * Whose entries a reader may see listed: null for planning and admin (all); for an evaluator,
 * the entries of their department and of the items assigned to them, as GET /api/entries/:id
 * allows. Counts (summaries) stay city-wide; lists of entries follow the entry's own access rule.
 */
export type ReportScope = { departmentId: number | null; evaluatorUserId: number } | null;

export function reportScope(actor: Actor): ReportScope {
  return canSeeAllSections(actor) ? null : { departmentId: actor.departmentId ?? null, evaluatorUserId: actor.id };
}

/** SQL condition on departments `d` and plan_items `i` for a scope given as parameters $dept, $evaluator. */
export function scopeCondition(dept: number, evaluator: number): string {
  return `(($${dept}::int IS NULL AND $${evaluator}::int IS NULL) OR d.id = $${dept} OR i.evaluator_user_id = $${evaluator})`;
}

export function scopeParams(scope: ReportScope): [number | null, number | null] {
  return scope ? [scope.departmentId, scope.evaluatorUserId] : [null, null];
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
    private readonly orgNames: OrgNamesService,
  ) {}

  async context(cycleId: number): Promise<CycleContext> {
    return this.contextOf(await this.cycles.get(cycleId));
  }

  /** The context of a published cycle; any other cycle is reported as absent (404), not forbidden. */
  async publishedContext(cycleId: number): Promise<CycleContext> {
    const [row] = await this.dataSource.query(`SELECT id FROM cycles WHERE id = $1 AND state = 'published'`, [cycleId]);
    if (!row) throw DomainError.notFound('公表済みのサイクル', cycleId);
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
    const scopes = await this.scopeValues.listForCycle(cycleId);
    const byScope = new Map(scopes.map((v) => [`${v.scope}:${v.scopeId}`, v.values ?? {}]));
    // Each department under the name it had at the end of the period (as the sections in the query).
    const departmentNames = await this.orgNames.departmentNamesAt((await this.cycles.get(cycleId)).periodEnd);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`SET TRANSACTION READ ONLY`);
      // The transaction idles while a slow client downloads a batch: not a stalled process.
      await allowLongStatements(runner.manager);
      await runner.query(
        `DECLARE report_rows NO SCROLL CURSOR FOR ${reportRowsSql({
          order: filter.order ?? 'item',
          history: !!filter.history,
          kpis: filter.kpis ?? true,
          approvals: filter.approvals ?? true,
          scope: scopeCondition(3, 4),
        })}`,
        [cycleId, filter.acceptedOnly, ...scopeParams(filter.scope ?? null)],
      );
      for (;;) {
        const rows: ReportRow[] = await runner.query(`FETCH FORWARD ${Math.max(1, Math.floor(batchSize))} FROM report_rows`);
        if (rows.length === 0) break;
        for (const row of rows) {
          row.departmentName = departmentNames.get(row.departmentId) ?? row.departmentName;
          row.departmentValues = byScope.get(`department:${row.departmentId}`) ?? {};
          row.sectionValues = byScope.get(`section:${row.sectionId}`) ?? {};
        }
        yield rows;
        if (rows.length < batchSize) break;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /** The form's field keys that hold a value somewhere in the report (a layout hint for print). */
  async filledKeys(cycleId: number, acceptedOnly: boolean): Promise<Set<string>> {
    const [row]: { keys: string[] | null }[] = await this.dataSource.query(FILLED_KEYS_SQL, [cycleId, acceptedOnly]);
    return new Set(row?.keys ?? []);
  }

  /**
   * The column model of the cycle for a reader: the form the cycle runs, the plan's item
   * attributes, which optional item columns the cycle fills and its largest KPI table.
   */
  async model(ctx: CycleContext, audience: Audience): Promise<ColumnModel> {
    const [plan]: { item_fields: unknown[] | null }[] = await this.dataSource.query(`SELECT item_fields FROM plans WHERE id = $1`, [ctx.template.planId]);
    const [shape]: (ItemPresence & { kpiSlots: number })[] = await this.dataSource.query(CYCLE_SHAPE_SQL, [ctx.cycle.id]);
    const { kpiSlots, ...present } = shape;
    return columnModel({
      fields: ctx.template.fields,
      itemFields: normaliseForm(plan?.item_fields ?? []).filter((f) => f.scope === 'item'),
      scale: ctx.scale,
      fiscalYear: ctx.cycle.fiscalYear,
      kpiSlots,
      present,
      audience,
    });
  }
}
