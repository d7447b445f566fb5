import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { Cycle, CycleTemplate, CyclesService, RatingScalesService, TemplatesService } from '@app/cycles';
import { Actor, canSeeAllSections, EntryState, eraYearLabel, Period, periodFromKey, RatingScale } from '@app/domain';
import { safeFilename } from './domain/content-disposition';

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

/** One row of a cycle's list, as exports print it. */
export interface ReportRow {
  id: number;
  state: EntryState;
  rating: string | null;
  progress: string | null;
  reason: string | null;
  nextSteps: string | null;
  submittedAt: Date | null;
  acceptedAt: Date | null;
  number: number;
  subNumber: string;
  chapter: string | null;
  title: string;
  sectionId: number;
  sectionName: string;
  departmentName: string;
  /** An approval since the last submission was made by a delegate (代決), per the audit log. */
  acting: boolean;
}

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
   * The cycle's entries in item order, BATCH_SIZE rows at a time, from a server-side cursor in
   * a read-only REPEATABLE READ transaction: one sort for the whole cycle, one consistent
   * snapshot, and never more than a batch in memory. The connection is held until the
   * consumer finishes or stops (the generator's finally releases it).
   */
  async *batches(cycleId: number, filter: RowFilter, batchSize = BATCH_SIZE): AsyncGenerator<ReportRow[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`SET TRANSACTION READ ONLY`);
      await runner.query(
        // The section as it was named at the end of the period (after a reorganisation a past
        // report keeps its names): the name valid then, else the earliest one recorded.
        `DECLARE report_rows NO SCROLL CURSOR FOR
         WITH names AS (
           SELECT DISTINCT ON (n.section_id) n.section_id, n.name
             FROM section_names n, cycles c
            WHERE c.id = $1
            ORDER BY n.section_id,
                     (n.valid_from <= c.period_end AND (n.valid_to IS NULL OR n.valid_to >= c.period_end)) DESC,
                     n.valid_from, n.id
         )
         SELECT e.id, e.state, e.rating, e.progress, e.reason, e.next_steps AS "nextSteps",
                e.submitted_at AS "submittedAt", e.accepted_at AS "acceptedAt",
                i.number, i.sub_number AS "subNumber", i.chapter, i.title,
                s.id AS "sectionId", COALESCE(nm.name, s.name) AS "sectionName", d.name AS "departmentName",
                EXISTS (SELECT 1 FROM audit_log a
                         WHERE a.subject_type = 'entry' AND a.subject_id = e.id::text
                           AND a.action = 'entry.approve' AND a.acting
                           AND a.at >= coalesce(e.submitted_at, '-infinity')) AS acting
           FROM entries e
           JOIN plan_items i ON i.id = e.item_id
           JOIN sections s ON s.id = e.section_id
           LEFT JOIN names nm ON nm.section_id = s.id
           JOIN departments d ON d.id = s.department_id
          WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted') AND ${scopeCondition(3, 4)}
          ORDER BY i.number, i.sub_number, e.section_id`,
        [cycleId, filter.acceptedOnly, ...scopeParams(filter.scope ?? null)],
      );
      for (;;) {
        const rows: ReportRow[] = await runner.query(`FETCH FORWARD ${Math.max(1, Math.floor(batchSize))} FROM report_rows`);
        if (rows.length === 0) break;
        yield rows;
        if (rows.length < batchSize) break;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
