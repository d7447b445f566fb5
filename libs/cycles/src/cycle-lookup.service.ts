import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { CycleState, FormField, ReminderSchedule } from '@app/domain';

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
}
