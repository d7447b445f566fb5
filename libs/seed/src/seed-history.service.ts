import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { CyclesService } from '@app/cycles';
import { Actor, fiscalYearOf, tokyoToday } from '@app/domain';
import { acceptHistoricEntries, ScopeValuesService } from '@app/entries';
import type { HistoricEntryValues } from '@app/entries';
import { departmentIdByName, scriptActor } from '@app/org/org-seed-rows';
import { itemSectionsOfPlan, planIdByCode } from '@app/plan-items/plan-seed-rows';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import {
  ACTION_PLAN_CODE,
  ACTION_PLAN_TEMPLATE,
  DEPARTMENT_GOALS_CODE,
  DEPARTMENT_GOALS_TEMPLATE,
  PLEDGE_HALFYEAR_TEMPLATE,
  PLEDGE_MONTHLY_TEMPLATE,
  PLEDGE_PLAN_CODE,
  PLEDGE_STATUS_TEMPLATE,
  PROGRAM_EVALUATION_TEMPLATE,
  STATUS_PLAN_CODE,
} from './forms';
import { GoalResult } from './parsers/department-goals.parser';
import { MonthlyColumn } from './parsers/pledge-progress-monthly.parser';
import { circled } from './plan-writer';
import { loadSeedData, SeedData } from './seed-data';
import { SeedTemplatesService } from './seed-templates.service';

/** R5 (2023) monthly columns of the published report, as period keys. */
const MONTH_KEYS: Partial<Record<MonthlyColumn, string>> = {
  '10': '2023-10',
  '11': '2023-11',
  '12': '2023-12',
  '1': '2024-01',
  '2': '2024-02',
  '3': '2024-03',
};

/**
 * A goal's published result as a goal3 rating. 一部達成 (printed once) is not on the scale:
 * it is recorded as 着手, the step between 達成 and 未達成, with the printed word in 説明.
 */
const GOAL_RATING: Record<GoalResult, string> = { 達成: '達成', 着手: '着手', 未達成: '未達成', 一部達成: '着手' };

type HistoricEntry = HistoricEntryValues;

export interface SeedHistoryResult {
  cyclesCreated: number;
  templatesCreated: number;
  /** Templates seeded before forms that were given their form now. */
  formsAdded: number;
}

/**
 * Cycle history for the demo, taken from the published reports, as accepted, published
 * cycles: the monthly pledge ratings of R5, the A–D status list as of September R5, the
 * action plan's 実施状況 of R3–R5 and the department heads' results of R6 with each
 * department's 基本方針・部の仕事・総括; plus an open half-year pledge cycle of the current period
 * and an open program evaluation of the fiscal year just ended, so section chiefs have work. Templates come from SeedTemplatesService; cycles are created and
 * moved through the real CyclesService (audit, reminder outbox), the department values through
 * ScopeValuesService; the historic ratings are an import of published data, written in one
 * statement per cycle and audited as such. Idempotent: a cycle that already exists is left as it is.
 */
@Injectable()
export class SeedHistoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: SeedTemplatesService,
    private readonly cycles: CyclesService,
    private readonly scopeValues: ScopeValuesService,
    private readonly audit: AuditService,
  ) {}

  async seed(data: SeedData = loadSeedData(), today = tokyoToday()): Promise<SeedHistoryResult> {
    const { ids, created, formsAdded } = await this.templates.ensure();
    const template = (code: string) => ids.get(code)!;
    let cyclesCreated = 0;

    const pledgePlan = await this.planId(PLEDGE_PLAN_CODE);
    for (const [column, periodKey] of Object.entries(MONTH_KEYS) as [MonthlyColumn, string][]) {
      const entries = await this.monthlyEntries(data, pledgePlan, column);
      if (entries.length === 0) continue;
      if (await this.historicCycle(template(PLEDGE_MONTHLY_TEMPLATE.code), periodKey, entries)) cyclesCreated++;
    }

    const statusEntries = await this.statusEntries(data, await this.planId(STATUS_PLAN_CODE));
    if (await this.historicCycle(template(PLEDGE_STATUS_TEMPLATE.code), '2023-H1', statusEntries)) cyclesCreated++;

    const actionPlan = await this.planId(ACTION_PLAN_CODE);
    for (const year of data.actionPlan.years.filter((y) => y <= data.actionPlan.asOf)) {
      const entries = await this.actionPlanEntries(data, actionPlan, year);
      if (await this.historicCycle(template(ACTION_PLAN_TEMPLATE.code), `FY${year}`, entries)) cyclesCreated++;
    }

    const goals = await this.goalEntries(data, await this.planId(DEPARTMENT_GOALS_CODE));
    const goalsCycle = await this.historicCycle(template(DEPARTMENT_GOALS_TEMPLATE.code), `FY${data.goals.fiscalYear}`, goals, (cycleId) =>
      this.departmentValues(data, cycleId),
    );
    if (goalsCycle) cyclesCreated++;

    const current = await this.cycles.ensure({ templateId: template(PLEDGE_HALFYEAR_TEMPLATE.code), date: today }, null);
    if (current.created) {
      await this.cycles.act(current.cycle.id, { action: 'open' }, null);
      cyclesCreated++;
    }
    // Programs are evaluated on the fiscal year just ended: that year's sheets are open to fill in.
    const evaluation = await this.cycles.ensure({ templateId: template(PROGRAM_EVALUATION_TEMPLATE.code), periodKey: `FY${fiscalYearOf(today) - 1}` }, null);
    if (evaluation.created) {
      await this.cycles.act(evaluation.cycle.id, { action: 'open' }, null);
      cyclesCreated++;
    }
    return { cyclesCreated, templatesCreated: created, formsAdded };
  }

  /** Opens the cycle, imports the published entries (and whatever `whileOpen` writes), closes and publishes it. */
  private async historicCycle(
    templateId: number,
    periodKey: string,
    entries: HistoricEntry[],
    whileOpen?: (cycleId: number) => Promise<void>,
  ): Promise<boolean> {
    const { cycle, created } = await this.cycles.ensure({ templateId, periodKey }, null);
    if (!created) return false;
    await this.cycles.act(cycle.id, { action: 'open' }, null);
    await this.dataSource.transaction((em) => this.importRatings(em, cycle.id, entries));
    if (whileOpen) await whileOpen(cycle.id);
    await this.cycles.act(cycle.id, { action: 'force_close', reason: 'デモデータ: 公表資料に評価のない項目は未提出として締切' }, null);
    await this.cycles.act(cycle.id, { action: 'publish' }, null);
    return true;
  }

  private async importRatings(em: EntityManager, cycleId: number, entries: HistoricEntry[]): Promise<void> {
    const count = await acceptHistoricEntries(em, cycleId, entries);
    await this.audit.record(em, {
      actorUserId: null,
      action: 'seed.import_ratings',
      subjectType: 'cycle',
      subjectId: cycleId,
      after: { acceptedEntries: count },
      comment: '公表済み資料の評価をデモデータとして取込',
    });
  }

  /** 基本方針・部の仕事・総括 of each department, saved as the planning division would (validated, versioned, audited). */
  private async departmentValues(data: SeedData, cycleId: number): Promise<void> {
    const actor = await this.admin();
    for (const d of data.goals.departments) {
      const deptId = await departmentIdByName(this.dataSource.manager, d.name);
      if (deptId === null) throw new Error(`seed: 部「${d.name}」がありません`);
      await this.scopeValues.save(cycleId, 'department', deptId, { values: { basicPolicy: d.basicPolicy, departmentWork: d.work, summary: d.summary } }, actor);
    }
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
    const rows = await this.itemSections(planId);
    const result: HistoricEntry[] = [];
    for (const chapter of data.status.chapters) {
      for (const item of chapter.items) {
        for (const sub of item.subItems) {
          if (!sub.rating) continue;
          for (const r of rows.get(`${item.number}:${sub.subNumber}`) ?? []) result.push({ ...r, rating: sub.rating, progress: sub.status || null });
        }
      }
    }
    return result;
  }

  /**
   * The year's 実施状況 of every 年次計画 row, for each responsible section of its item. The
   * report's texts (取組状況, 未着手・中止の理由) are as of its last year, so only that year's
   * entries carry them. Years printed '—' or blank are not imported (the entry stays 未提出).
   */
  private async actionPlanEntries(data: SeedData, planId: number, year: number): Promise<HistoricEntry[]> {
    const rows = await this.itemSections(planId);
    const result: HistoricEntry[] = [];
    for (const p of data.actionPlan.programs) {
      p.rows.forEach((row, i) => {
        const mark = row.marks[year];
        if (!mark) return;
        const latest = year === data.actionPlan.asOf;
        for (const r of rows.get(`${p.number}:${p.rows.length > 1 ? circled(i + 1) : ''}`) ?? []) {
          result.push({ ...r, rating: mark, progress: latest ? p.progress || null : null, reason: latest ? p.reason || null : null });
        }
      });
    }
    return result;
  }

  private async goalEntries(data: SeedData, planId: number): Promise<HistoricEntry[]> {
    const rows = await this.itemSections(planId);
    const result: HistoricEntry[] = [];
    data.goals.departments.forEach((d, i) => {
      for (const g of d.goals) {
        const printed = g.resultText || (GOAL_RATING[g.result] !== g.result ? g.result : '');
        const values = printed ? { note: `公表資料の結果欄の表記は「${printed}」` } : {};
        for (const r of rows.get(`${i + 1}:${circled(g.number)}`) ?? []) result.push({ ...r, rating: GOAL_RATING[g.result], progress: null, values });
      }
    });
    return result;
  }

  /** The responsible sections of every item of a plan, by 'number:sub_number'. */
  private async itemSections(planId: number): Promise<Map<string, { itemId: number; sectionId: number }[]>> {
    const byKey = new Map<string, { itemId: number; sectionId: number }[]>();
    for (const r of await itemSectionsOfPlan(this.dataSource.manager, planId)) {
      const key = `${r.number}:${r.subNumber}`;
      byKey.set(key, [...(byKey.get(key) ?? []), { itemId: r.itemId, sectionId: r.sectionId }]);
    }
    return byKey;
  }

  private async lookup(planId: number) {
    const responsible = await itemSectionsOfPlan(this.dataSource.manager, planId);
    // Sections by their current name, from libs/org.
    const sections = await new SectionDirectory(this.dataSource).withDepartments(responsible.map((r) => r.sectionId));
    const rows = responsible.flatMap((r) => {
      const section = sections.get(r.sectionId);
      return section ? [{ item_id: r.itemId, number: r.number, sub_number: r.subNumber, section_id: r.sectionId, section_name: section.name }] : [];
    });
    const byKey = new Map(rows.map((r) => [`${r.number}:${r.sub_number}:${r.section_name}`, r]));
    return (number: number, subNumber: string, sectionName: string) => {
      const row = byKey.get(`${number}:${subNumber}:${sectionName}`);
      return row ? { itemId: row.item_id, sectionId: row.section_id } : undefined;
    };
  }

  private async planId(code: string): Promise<number> {
    const plan = await planIdByCode(this.dataSource.manager, code);
    if (plan === null) throw new Error(`seed: 計画 ${code} がありません。先に組織と計画を投入してください`);
    return plan;
  }

  private async admin(): Promise<Actor> {
    const admin = (await scriptActor(this.dataSource.manager, 'admin'))!;
    return { id: admin.id, name: admin.name, roles: admin.roles, sectionId: null, departmentId: null };
  }
}
