import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CycleState, FormField, ReminderSchedule } from '@app/domain';

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

/**
 * Typed reads of cycles for the libs that do not own them (reminders): batched by ids, in the
 * caller's transaction when one is passed. The approval route is CycleRoutesService's.
 */
@Injectable()
export class CycleLookupService {
  constructor(private readonly dataSource: DataSource) {}

  /** The cycles with these ids, by id. */
  async cycleFacts(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, CycleFactsRow>> {
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
  async openCycleIds(ids: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Set<number>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Set();
    const rows: { id: number }[] = await em.query(`SELECT id FROM cycles WHERE id = ANY($1::int[]) AND state = 'open'`, [wanted]);
    return new Set(rows.map((r) => r.id));
  }

  /** Every open cycle, ascending. */
  async allOpenCycleIds(em: EntityManager = this.dataSource.manager): Promise<number[]> {
    const rows: { id: number }[] = await em.query(`SELECT id FROM cycles WHERE state = 'open' ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /** The open cycles (where entries wait for approval). */
  async openCycles(em: EntityManager = this.dataSource.manager): Promise<CycleHeading[]> {
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
