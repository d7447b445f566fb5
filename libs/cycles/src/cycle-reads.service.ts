import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { sqlWords } from '@app/common';
import { CYCLE_STATES_CLOSED, CycleState, RetentionClass } from '@app/domain';
import type { FormField, ReminderSchedule } from '@app/domain';
import { CycleRules, readRules, rulesOf } from './cycle-rules';
import { CycleTemplate } from './entities/cycle-template.entity';

/** A cycle as reminders and notices read it: its label, state and dates (YYYY-MM-DD). */
export interface CycleFactsRow {
  id: number;
  label: string;
  state: CycleState;
  version: number;
  submissionDeadline: string;
  reviewDeadline: string;
  /** When reminders go out (the template's schedule). */
  reminderSchedule: ReminderSchedule;
  /** The form's fields as the cycle keeps them (the template's while it is a draft). */
  fields: FormField[];
}

/** A cycle as lists elsewhere name it. */
export interface CycleHeading {
  id: number;
  label: string;
  state: string;
  /** YYYY-MM-DD */
  reviewDeadline: string;
}

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

/**
 * Typed reads of `cycles` and `cycle_templates` for other libs (reports, reminders, personnel),
 * which never query them; the batched ones run in the caller's transaction when one is passed.
 * The approval route is CycleRoutesService's.
 */
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

  /** The cycles with these ids, by id. */
  async facts(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, CycleFactsRow>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows: CycleFactsRow[] = await em.query(
      `SELECT c.id, c.label, c.state, c.version, to_char(c.submission_deadline, 'YYYY-MM-DD') AS "submissionDeadline",
              to_char(c.review_deadline, 'YYYY-MM-DD') AS "reviewDeadline", t.reminder_schedule AS "reminderSchedule",
              COALESCE(c.rules -> 'fields', t.fields) AS fields
         FROM cycles c JOIN cycle_templates t ON t.id = c.template_id WHERE c.id = ANY($1::int[])`,
      [wanted],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Which of these cycles are open. */
  async openAmong(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Set<number>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Set();
    const rows: { id: number }[] = await em.query(`SELECT id FROM cycles WHERE id = ANY($1::int[]) AND state = 'open'`, [wanted]);
    return new Set(rows.map((r) => r.id));
  }

  /** Every open cycle, ascending. */
  async openIds(em: EntityManager = this.dataSource.manager): Promise<number[]> {
    const rows: { id: number }[] = await em.query(`SELECT id FROM cycles WHERE state = 'open' ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /** The open cycles (where entries wait for approval). */
  async openHeadings(em: EntityManager = this.dataSource.manager): Promise<CycleHeading[]> {
    return em.query(`SELECT id, label, state, to_char(review_deadline, 'YYYY-MM-DD') AS "reviewDeadline" FROM cycles WHERE state = 'open' ORDER BY id`);
  }

  /** The cycles by id (ids not found are absent). */
  async headingsOf(cycleIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, CycleHeading>> {
    const ids = [...new Set(cycleIds)];
    if (!ids.length) return new Map();
    const rows: CycleHeading[] = await em.query(
      `SELECT id, label, state, to_char(review_deadline, 'YYYY-MM-DD') AS "reviewDeadline" FROM cycles WHERE id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The form a cycle runs (its rules once open, its template's while a draft); null when there is no such cycle. */
  async formOf(cycleId: number, em: EntityManager = this.dataSource.manager): Promise<FormField[] | null> {
    const [cycle]: { templateId: number; rules: CycleRules | null }[] = await em.query(`SELECT template_id AS "templateId", rules FROM cycles WHERE id = $1`, [
      cycleId,
    ]);
    if (!cycle) return null;
    return cycle.rules ? readRules(cycle.rules).fields : rulesOf(await em.getRepository(CycleTemplate).findOneByOrFail({ id: cycle.templateId })).fields;
  }

  /**
   * Each cycle's state and route options as stored (its rules once open, its template's while a
   * draft; `readApprovalOptions` gives today's shape), with its template's name.
   */
  async approvalOptionsOf(
    cycleIds: readonly number[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, { state: string; label: string; templateName: string; periodStart: string; options: unknown }>> {
    const ids = [...new Set(cycleIds)];
    if (!ids.length) return new Map();
    const rows: { id: number; state: string; label: string; templateName: string; periodStart: string; options: unknown }[] = await em.query(
      `SELECT c.id, c.state, c.label, t.name AS "templateName", to_char(c.period_start, 'YYYY-MM-DD') AS "periodStart",
              COALESCE(c.rules -> 'approvalOptions', t.approval_options) AS options
         FROM cycles c JOIN cycle_templates t ON t.id = c.template_id WHERE c.id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map(({ id, ...r }) => [id, r]));
  }

  /**
   * A cycle's id, state, template and rules (null rules while a draft), in the caller's
   * transaction, share-locked when asked (a write that must not race the cycle's closing); null
   * when there is no such cycle.
   */
  async stateAndRulesOf(
    cycleId: number,
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<{ id: number; state: CycleState; templateId: number; rules: CycleRules | null } | null> {
    const [row] = await em.query(`SELECT id, state, template_id AS "templateId", rules FROM cycles WHERE id = $1 ${lock ? 'FOR SHARE' : ''}`, [cycleId]);
    return row ?? null;
  }

  /** A template's cycles (of one fiscal year when given) in period order: id, period key, label, state. */
  periodsOfTemplate(templateId: number, fiscalYear?: number): Promise<{ id: number; period_key: string; label: string; state: CycleState }[]> {
    return this.dataSource.query(
      `SELECT id, period_key, label, state FROM cycles
        WHERE template_id = $1 AND ($2::int IS NULL OR fiscal_year = $2)
        ORDER BY period_start`,
      [templateId, fiscalYear ?? null],
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
