import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { allowLongStatements } from '@app/database';
import { SectionDirectory } from '@app/org';
import { ItemReads } from '@app/plan-items';
import { CycleEntryWriter } from './cycle-entry-writer';

/**
 * Creates one entry per item × responsible (active) section for a cycle, carrying the plan
 * text and rating forward from the template's previous cycle. The pairs come from plan-items
 * and org, the entries are written by libs/entries (CycleEntryWriter), idempotently: running
 * it again, or concurrently, creates nothing twice.
 */
@Injectable()
export class CycleOpeningService {
  constructor(
    private readonly items: ItemReads,
    private readonly sections: SectionDirectory,
    private readonly writer: CycleEntryWriter,
  ) {}

  async createEntries(em: EntityManager, cycleId: number): Promise<number> {
    // Tens of thousands of rows with their audit and reminder slots, in one transaction: the
    // default statement timeout would cut it.
    await allowLongStatements(em);
    const [cycle]: { planId: number; previousId: number | null }[] = await em.query(
      `SELECT t.plan_id AS "planId",
              (SELECT p.id FROM cycles p WHERE p.template_id = c.template_id AND p.period_end < c.period_start
                ORDER BY p.period_end DESC LIMIT 1) AS "previousId"
         FROM cycles c JOIN cycle_templates t ON t.id = c.template_id WHERE c.id = $1`,
      [cycleId],
    );
    if (!cycle) return 0;
    // One after the other: both run on the transaction's one connection (pg would only queue them).
    const pairs = await this.items.sectionPairsOfPlan(cycle.planId, em);
    const active = await this.sections.active(em);
    const open = new Set(active.map((s) => s.id));
    const kept = pairs.filter((p) => open.has(p.sectionId));
    return this.writer.createEntries(em, cycleId, cycle.previousId, {
      itemIds: kept.map((p) => p.itemId),
      sectionIds: kept.map((p) => p.sectionId),
    });
  }
}
