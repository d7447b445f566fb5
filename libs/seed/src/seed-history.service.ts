import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { CyclesService, TemplatesService } from '@app/cycles';
import { tokyoToday } from '@app/domain';
import { MonthlyColumn } from './parsers/pledge-progress-monthly.parser';
import { PLEDGE_PLAN_CODE, STATUS_PLAN_CODE } from './seed.service';
import { loadSeedData, SeedData } from './seed-data';

/** R5 (2023) monthly columns of the published report, as period keys. */
const MONTH_KEYS: Partial<Record<MonthlyColumn, string>> = {
  '10': '2023-10',
  '11': '2023-11',
  '12': '2023-12',
  '1': '2024-01',
  '2': '2024-02',
  '3': '2024-03',
};

interface HistoricEntry {
  itemId: number;
  sectionId: number;
  rating: string;
  progress: string | null;
  fiscalGoal: string | null;
  shortTermPlan: string | null;
}

/**
 * Cycle history for the demo, taken from the published reports: the monthly pledge ratings
 * of R5 and the A–D status list as of September R5, as accepted, published cycles; plus an open
 * half-year cycle of the current period so section chiefs have work. Cycles are created and
 * moved through the real CyclesService (audit, reminder outbox); the historic ratings are an
 * import of published data, written in one statement per cycle and audited as such.
 * Idempotent: a cycle that already exists is left as it is.
 */
@Injectable()
export class SeedHistoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: TemplatesService,
    private readonly cycles: CyclesService,
    private readonly audit: AuditService,
  ) {}

  async seed(data: SeedData = loadSeedData(), today = tokyoToday()): Promise<{ cyclesCreated: number }> {
    const pledgePlan = await this.planId(PLEDGE_PLAN_CODE);
    const statusPlan = await this.planId(STATUS_PLAN_CODE);
    let cyclesCreated = 0;

    const monthly = await this.template('pledge-monthly', '市長公約 月次進捗', pledgePlan, 'monthly', 'progress4');
    for (const [column, periodKey] of Object.entries(MONTH_KEYS) as [MonthlyColumn, string][]) {
      const entries = await this.monthlyEntries(data, pledgePlan, column);
      if (entries.length === 0) continue;
      if (await this.historicCycle(monthly, periodKey, entries)) cyclesCreated++;
    }

    const status = await this.template('pledge-status-half', '市長公約 進捗状況(A〜D)', statusPlan, 'half_year', 'abcd');
    if (await this.historicCycle(status, '2023-H1', await this.statusEntries(data, statusPlan))) cyclesCreated++;

    const halfYear = await this.template('pledge-halfyear', '市長公約 半期進捗', pledgePlan, 'half_year', 'progress4');
    const current = await this.cycles.ensure({ templateId: halfYear, date: today }, null);
    if (current.created) {
      await this.cycles.act(current.cycle.id, { action: 'open' }, null);
      cyclesCreated++;
    }
    return { cyclesCreated };
  }

  private async historicCycle(templateId: number, periodKey: string, entries: HistoricEntry[]): Promise<boolean> {
    const { cycle, created } = await this.cycles.ensure({ templateId, periodKey }, null);
    if (!created) return false;
    await this.cycles.act(cycle.id, { action: 'open' }, null);
    await this.dataSource.transaction((em) => this.importRatings(em, cycle.id, entries));
    await this.cycles.act(cycle.id, { action: 'force_close', reason: 'デモデータ: 公表資料に評価のない項目は未提出として締切' }, null);
    await this.cycles.act(cycle.id, { action: 'publish' }, null);
    return true;
  }

  private async importRatings(em: EntityManager, cycleId: number, entries: HistoricEntry[]): Promise<void> {
    const [, count] = await em.query(
      `UPDATE entries e SET rating = v.rating, progress = v.progress, fiscal_goal = v.fiscal_goal,
              short_term_plan = v.short_term_plan, state = 'accepted', accepted_at = now(),
              submitted_at = now(), version = e.version + 1, updated_at = now()
         FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[])
              AS v(item_id, section_id, rating, progress, fiscal_goal, short_term_plan)
        WHERE e.cycle_id = $1 AND e.item_id = v.item_id AND e.section_id = v.section_id`,
      [
        cycleId,
        entries.map((e) => e.itemId),
        entries.map((e) => e.sectionId),
        entries.map((e) => e.rating),
        entries.map((e) => e.progress),
        entries.map((e) => e.fiscalGoal),
        entries.map((e) => e.shortTermPlan),
      ],
    );
    await this.audit.record(em, {
      actorUserId: null,
      action: 'seed.import_ratings',
      subjectType: 'cycle',
      subjectId: cycleId,
      after: { acceptedEntries: count },
      comment: '公表済み資料の評価をデモデータとして取込',
    });
  }

  private async monthlyEntries(data: SeedData, planId: number, column: MonthlyColumn): Promise<HistoricEntry[]> {
    const lookup = await this.lookup(planId);
    const seen = new Set<string>();
    const result: HistoricEntry[] = [];
    for (const pledge of data.monthly.pledges) {
      for (const row of pledge.rows) {
        const mark = row.ratings.find((r) => r.column === column)?.mark;
        if (!mark) continue;
        for (const name of row.sectionNames) {
          const key = lookup(pledge.number, '', name);
          if (!key || seen.has(`${key.itemId}:${key.sectionId}`)) continue;
          seen.add(`${key.itemId}:${key.sectionId}`);
          result.push({
            ...key,
            rating: mark,
            progress: row.status || null,
            fiscalGoal: row.fiscalGoals.find((g) => g.column === column)?.text ?? row.fiscalGoals[0]?.text ?? null,
            shortTermPlan: row.shortTermPlans.find((p) => p.column === column)?.text ?? row.shortTermPlans[0]?.text ?? null,
          });
        }
      }
    }
    return result;
  }

  private async statusEntries(data: SeedData, planId: number): Promise<HistoricEntry[]> {
    const rows: { item_id: number; section_id: number; number: number; sub_number: string }[] = await this.dataSource.query(
      `SELECT i.id AS item_id, pis.section_id, i.number, i.sub_number
         FROM plan_items i JOIN plan_item_sections pis ON pis.item_id = i.id WHERE i.plan_id = $1`,
      [planId],
    );
    const byKey = new Map(rows.map((r) => [`${r.number}:${r.sub_number}`, r]));
    const result: HistoricEntry[] = [];
    for (const chapter of data.status.chapters) {
      for (const item of chapter.items) {
        for (const sub of item.subItems) {
          const row = byKey.get(`${item.number}:${sub.subNumber}`);
          if (!row || !sub.rating) continue;
          result.push({ itemId: row.item_id, sectionId: row.section_id, rating: sub.rating, progress: sub.status || null, fiscalGoal: null, shortTermPlan: null });
        }
      }
    }
    return result;
  }

  private async lookup(planId: number) {
    const rows: { item_id: number; number: number; sub_number: string; section_id: number; section_name: string }[] =
      await this.dataSource.query(
        `SELECT i.id AS item_id, i.number, i.sub_number, s.id AS section_id, s.name AS section_name
           FROM plan_items i JOIN plan_item_sections pis ON pis.item_id = i.id JOIN sections s ON s.id = pis.section_id
          WHERE i.plan_id = $1`,
        [planId],
      );
    const byKey = new Map(rows.map((r) => [`${r.number}:${r.sub_number}:${r.section_name}`, r]));
    return (number: number, subNumber: string, sectionName: string) => {
      const row = byKey.get(`${number}:${subNumber}:${sectionName}`);
      return row ? { itemId: row.item_id, sectionId: row.section_id } : undefined;
    };
  }

  private async planId(code: string): Promise<number> {
    const [plan] = await this.dataSource.query(`SELECT id FROM plans WHERE code = $1`, [code]);
    if (!plan) throw new Error(`seed: 計画 ${code} がありません。先に組織と計画を投入してください`);
    return plan.id;
  }

  private async template(
    code: string,
    name: string,
    planId: number,
    periodType: 'monthly' | 'half_year',
    scaleCode: string,
  ): Promise<number> {
    const existing = (await this.templates.list()).find((t) => t.code === code);
    if (existing) return existing.id;
    const [admin] = await this.dataSource.query(`SELECT id, name, roles FROM users WHERE login = 'admin'`);
    const actor = { id: admin.id, name: admin.name, roles: admin.roles, sectionId: null, departmentId: null };
    return (await this.templates.create({ code, name, planId, periodType, scaleCode, submissionOffsetDays: 10, reviewOffsetDays: 20 }, actor)).id;
  }
}
