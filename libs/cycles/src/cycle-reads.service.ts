import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlWords } from '@app/common';
import { CYCLE_STATES_CLOSED, CycleState, RetentionClass } from '@app/domain';

/** A closed cycle's record facts (保存期間), for the disposal list. */
export interface ClosedCycleRecordRow {
  id: number;
  label: string;
  templateId: number;
  templateName: string;
  state: CycleState;
  /** The Tokyo date it closed (or was published). */
  closedOn: string;
  retentionClass: RetentionClass;
}

/** Typed reads of `cycles` and `cycle_templates` for other libs' read models (which never query them). */
@Injectable()
export class CycleReads {
  constructor(private readonly dataSource: DataSource) {}

  async isPublished(cycleId: number): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM cycles WHERE id = $1 AND state = 'published'`, [cycleId]);
    return !!row;
  }

  /** The plan a cycle reports on (its template's), or null for no such cycle. */
  async planIdOf(cycleId: number): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT t.plan_id AS "planId" FROM cycles c JOIN cycle_templates t ON t.id = c.template_id WHERE c.id = $1`, [
      cycleId,
    ]);
    return row?.planId ?? null;
  }

  /** Each fiscal year of a template by its last cycle (latest period end, then id). */
  lastOfEachFiscalYear(templateId: number): Promise<{ id: number; fiscalYear: number; label: string; state: CycleState }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (fiscal_year) id, fiscal_year AS "fiscalYear", label, state FROM cycles
        WHERE template_id = $1 ORDER BY fiscal_year, period_end DESC, id DESC`,
      [templateId],
    );
  }

  /** The template's cycles of fiscal years before `fiscalYear`, with their period ends. */
  earlierOfTemplate(templateId: number, fiscalYear: number): Promise<{ id: number; fiscalYear: number; periodEnd: string }[]> {
    return this.dataSource.query(
      `SELECT id, fiscal_year AS "fiscalYear", to_char(period_end, 'YYYY-MM-DD') AS "periodEnd" FROM cycles
        WHERE template_id = $1 AND fiscal_year < $2`,
      [templateId, fiscalYear],
    );
  }

  /** Closed and published cycles with a closing date whose template's records are not kept permanently. */
  closedWithDisposal(): Promise<ClosedCycleRecordRow[]> {
    return this.dataSource.query(
      `SELECT c.id, c.label, t.id AS "templateId", t.name AS "templateName", c.state,
              to_char(COALESCE(c.closed_at, c.published_at) AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS "closedOn",
              t.retention_class AS "retentionClass"
         FROM cycles c JOIN cycle_templates t ON t.id = c.template_id
        WHERE c.state IN (${sqlWords(CYCLE_STATES_CLOSED)}) AND COALESCE(c.closed_at, c.published_at) IS NOT NULL AND t.retention_class <> 'permanent'`,
    );
  }
}

/**
 * The SELECT of the cycle whose id is the SQL expression `cycleIdSql` (a column of the caller's
 * query), answering its `state`, `template_id`, `rules`, `fiscal_year`, `label`,
 * `submission_deadline` and `review_deadline`: for a caller that must read them in its own
 * statement (EntriesService.lock on the approve and save paths, the entry lists), as
 * `JOIN LATERAL (${cycleRowSql('e.cycle_id')}) c ON true`.
 */
export function cycleRowSql(cycleIdSql: string): string {
  return `SELECT cy.state, cy.template_id, cy.rules, cy.fiscal_year, cy.label, cy.submission_deadline, cy.review_deadline
            FROM cycles cy WHERE cy.id = ${cycleIdSql}`;
}
