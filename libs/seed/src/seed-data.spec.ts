import { addDays, fiscalYearStart } from '@app/domain';
import { PROGRAM_EVALUATION_PLAN } from './forms';
import { checkedAttributes } from './plan-writer';
import { loadSeedData } from './seed-data';

describe('seed data: the organisation fits the reports', () => {
  const data = loadSeedData();
  const org = data.organisation;
  const sections = org.departments.flatMap((d) => d.sections.map(([code, name]) => ({ code, name, department: d.name })));
  const byName = new Map(sections.map((s) => [s.name, s]));
  const formerByName = new Map(org.formerSectionNames.map((f) => [f.name, f]));

  it('has unique codes, and a name (current or former) names one section', () => {
    expect(new Set(org.departments.map((d) => d.code)).size).toBe(org.departments.length);
    expect(new Set(sections.map((s) => s.code)).size).toBe(sections.length);
    const names = [...sections.map((s) => s.name), ...org.formerSectionNames.map((f) => f.name)];
    expect(new Set(names).size).toBe(names.length);
    for (const f of org.formerSectionNames) expect(sections.some((s) => s.code === f.code)).toBe(true);
  });

  it('has a section for every 担当課 of the action plan, and records each rename it prints', () => {
    for (const p of data.actionPlan.programs) {
      for (const s of p.sections)
        expect({ program: p.number, section: byName.get(s.renamedTo ?? s.name)?.name }).toEqual({ program: p.number, section: s.renamedTo ?? s.name });
    }
    // 情報管理課 became 情報政策課 from 令和4年度: one section, the old name closed the day before.
    const renames = data.actionPlan.programs.flatMap((p) => p.sections.filter((s) => s.renamedTo && formerByName.has(s.name)));
    expect(new Set(renames.map((s) => s.name))).toEqual(new Set(['情報管理課', '子ども政策課']));
    for (const s of renames) {
      const former = formerByName.get(s.name)!;
      expect(sections.find((x) => x.code === former.code)!.name).toBe(s.renamedTo);
      expect(former.validTo).toBe(addDays(fiscalYearStart(s.renamedFrom!), -1));
    }
  });

  it('has every department of the department goals, its reporting section inside it and named in its 部の仕事', () => {
    for (const d of data.goals.departments) {
      const reporting = byName.get(org.departmentGoalSections[d.name]);
      expect({ department: d.name, reportingIn: reporting?.department }).toEqual({ department: d.name, reportingIn: d.name });
      expect(d.sections).toContain(reporting!.name);
      for (const name of d.sections) expect(byName.has(name)).toBe(true);
    }
    expect(Object.keys(org.departmentGoalSections).sort()).toEqual(data.goals.departments.map((d) => d.name).sort());
  });
});

describe('seed data: the program evaluation demo', () => {
  const data = loadSeedData();
  const sections = new Map(data.organisation.departments.flatMap((d) => d.sections.map(([, name]) => [name, d.name] as const)));

  it('gives five programs valid attributes, 2–3 KPIs with targets for 令和5～7年度, and an evaluator of their department', () => {
    expect(data.programs.map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    const evaluators = new Map<string, string>();
    for (const p of data.programs) {
      expect(sections.has(p.section)).toBe(true);
      expect(() => checkedAttributes(PROGRAM_EVALUATION_PLAN.itemFields, p.attributes)).not.toThrow();
      expect(p.attributes.overview).toMatch(/^【デモ】/u);
      expect(p.kpis.length).toBeGreaterThanOrEqual(2);
      expect(p.kpis.length).toBeLessThanOrEqual(3);
      for (const k of p.kpis) expect(Object.keys(k.targets).sort()).toEqual(['2023', '2024', '2025']);
      // One 参事 per department, evaluating that department's programs only.
      const dept = sections.get(p.section)!;
      expect(evaluators.get(p.evaluator.login) ?? dept).toBe(dept);
      evaluators.set(p.evaluator.login, dept);
    }
    const kpis = data.programs.flatMap((p) => p.kpis);
    expect(kpis.some((k) => k.kind === 'milestone' && k.targets['2024'] === '策定完了')).toBe(true);
    expect(kpis.some((k) => k.direction === 'lower' && k.name.includes('事故件数'))).toBe(true);
  });

  it('refuses attributes the plan does not define or the field cannot hold', () => {
    const fields = PROGRAM_EVALUATION_PLAN.itemFields;
    expect(() => checkedAttributes(fields, { staffRegular: { '2024': 1.125 } })).toThrow('小数2桁まで');
    expect(() => checkedAttributes(fields, { sdgs: ['1', '2', '3', '4'] })).toThrow('3つまで');
    expect(() => checkedAttributes(fields, { budgets: {} })).toThrow('budgets');
    expect(() => checkedAttributes(fields, { budget: { R6: 100 } })).toThrow('西暦4桁');
    expect(checkedAttributes(fields, { budget: { '2024': '１，２００' }, sdgs: ['11', '3'] })).toEqual({ budget: { '2024': 1200 }, sdgs: ['3', '11'] });
  });
});
