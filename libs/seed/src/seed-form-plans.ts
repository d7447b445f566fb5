import { ACTION_PLAN, DEPARTMENT_GOALS_PLAN, PROGRAM_EVALUATION_PLAN } from './forms';
import { resolvedPlans } from './parsers/action-plan-yearly.parser';
import { checkedAttributes, circled, PlanWriter } from './plan-writer';
import type { SeedData } from './seed-data';
import type { SeededOrganisation } from './seed-organisation';

/**
 * The action plan (action-plan-yearly.txt): one item per 年次計画 row of a sheet (a sheet with
 * several rows gives sub-items ①②…, each rated on its own in the report), with the sheet's
 * 課題・目的 and 取組事項 and the row's plan per year ('→' read as the year before) as
 * attributes. Responsible: every section the sheet names, by the name it took when the sheet
 * prints a rename ('情報管理課（令和4年度より情報政策課）' is the one section 情報政策課);
 * 各課 (every section) is not expanded.
 */
export async function seedActionPlan(w: PlanWriter, data: SeedData, org: SeededOrganisation): Promise<void> {
  const planId = await w.plan(ACTION_PLAN);
  for (const p of data.actionPlan.programs) {
    for (const [i, row] of p.rows.entries()) {
      const itemId = await w.item(planId, {
        number: p.number,
        subNumber: p.rows.length > 1 ? circled(i + 1) : '',
        chapter: p.chapter || null,
        category: p.category || null,
        title: row.label ? `${p.title}(${row.label})` : p.title,
        content: null,
        targetDateText: null,
        attributes: checkedAttributes(ACTION_PLAN.itemFields, { purpose: p.purpose, actions: p.actions, yearlyPlan: resolvedPlans(row) }),
      });
      if (itemId)
        await w.sections(
          itemId,
          p.sections.map((s) => ({ sectionId: org.sectionId(s.renamedTo ?? s.name) })),
        );
    }
  }
}

/**
 * The department heads' goals of 令和6年度: item number = the department's place in the
 * report, sub-number = the goal's number (政策経営部 4 is 1-④), chapter = the department.
 * Each department's goals are written by one section of it (departmentGoalSections).
 */
export async function seedDepartmentGoals(w: PlanWriter, data: SeedData, org: SeededOrganisation): Promise<void> {
  const planId = await w.plan(DEPARTMENT_GOALS_PLAN);
  for (const [i, d] of data.goals.departments.entries()) {
    const section = data.organisation.departmentGoalSections[d.name];
    if (!section) throw new Error(`seed: 部「${d.name}」の目標を入力する課が departmentGoalSections にありません`);
    for (const g of d.goals) {
      const itemId = await w.item(planId, {
        number: i + 1,
        subNumber: circled(g.number),
        chapter: d.name,
        category: null,
        title: g.title,
        content: null,
        targetDateText: null,
      });
      if (itemId) await w.sections(itemId, [{ sectionId: org.sectionId(section) }]);
    }
  }
}

/** The made-up programs of the program evaluation demo, each with its KPIs and its evaluator (参事). */
export async function seedProgramEvaluation(w: PlanWriter, data: SeedData, org: SeededOrganisation): Promise<void> {
  const planId = await w.plan(PROGRAM_EVALUATION_PLAN);
  for (const p of data.programs) {
    const itemId = await w.item(planId, {
      number: p.number,
      subNumber: '',
      chapter: null,
      category: null,
      title: p.title,
      content: null,
      targetDateText: null,
      attributes: checkedAttributes(PROGRAM_EVALUATION_PLAN.itemFields, p.attributes),
      evaluatorUserId: org.userId(p.evaluator.login),
    });
    if (itemId) {
      await w.sections(itemId, [{ sectionId: org.sectionId(p.section) }]);
      await w.kpis(itemId, p.kpis);
    }
  }
}
