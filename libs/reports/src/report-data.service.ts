import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { Cycle, CycleTemplate, CyclesService, RatingScalesService, TemplatesService } from '@app/cycles';
import { EntryState, eraYearLabel, Period, periodFromKey, RatingScale } from '@app/domain';
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
  /** An approval of this entry was an acting one (代決), per the audit log. */
  acting: boolean;
}

export interface RowFilter {
  acceptedOnly: boolean;
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
    const template = await this.templates.get(cycle.templateId);
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
   * The cycle's entries in item order, BATCH_SIZE rows at a time (keyset on item number,
   * sub-number, section), so an export never holds the whole cycle in memory.
   */
  async *batches(cycleId: number, filter: RowFilter, batchSize = BATCH_SIZE): AsyncGenerator<ReportRow[]> {
    let after: [number, string, number] = [0, '', 0];
    for (;;) {
      const rows: ReportRow[] = await this.dataSource.query(
        `SELECT e.id, e.state, e.rating, e.progress, e.reason, e.next_steps AS "nextSteps",
                e.submitted_at AS "submittedAt", e.accepted_at AS "acceptedAt",
                i.number, i.sub_number AS "subNumber", i.chapter, i.title,
                s.id AS "sectionId", s.name AS "sectionName", d.name AS "departmentName",
                EXISTS (SELECT 1 FROM audit_log a
                         WHERE a.subject_type = 'entry' AND a.subject_id = e.id::text AND a.acting) AS acting
           FROM entries e
           JOIN plan_items i ON i.id = e.item_id
           JOIN sections s ON s.id = e.section_id
           JOIN departments d ON d.id = s.department_id
          WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted')
            AND (i.number, i.sub_number, e.section_id) > ($3::int, $4::text, $5::int)
          ORDER BY i.number, i.sub_number, e.section_id
          LIMIT $6`,
        [cycleId, filter.acceptedOnly, after[0], after[1], after[2], batchSize],
      );
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < batchSize) return;
      const last = rows[rows.length - 1];
      after = [last.number, last.subNumber, last.sectionId];
    }
  }
}
