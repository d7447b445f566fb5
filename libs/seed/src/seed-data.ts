import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KpiDirection, KpiKind } from '@app/domain';
import { ActionPlanReport, parseActionPlanYearly } from './parsers/action-plan-yearly.parser';
import { DepartmentGoalsReport, parseDepartmentGoals } from './parsers/department-goals.parser';
import { parsePledgeProgressMonthly, PledgeProgressMonthly } from './parsers/pledge-progress-monthly.parser';
import { parsePledgeStatusAbcd, PledgeStatusReport } from './parsers/pledge-status-abcd.parser';

export interface FormerSectionName {
  /** The section's code in `departments`. */
  code: string;
  name: string;
  validFrom: string;
  validTo: string;
}

export interface OrganisationData {
  departments: { code: string; name: string; sections: [code: string, name: string][] }[];
  planningSection: string;
  pledgeStatusSections: Record<string, string>;
  /** Department name -> the section that writes its goals for the head. */
  departmentGoalSections: Record<string, string>;
  formerSectionNames: FormerSectionName[];
}

/** One made-up program of the program evaluation demo (data/program-evaluation-demo.json). */
export interface DemoProgram {
  number: number;
  title: string;
  /** Section name in organisation.json. */
  section: string;
  /** An evaluator (参事) of the section's department, created as a user. */
  evaluator: { login: string; name: string };
  /** Item attributes by key of the plan's item fields; per-year ones as {"2024": …}. */
  attributes: Record<string, unknown>;
  kpis: { name: string; unit: string; kind: KpiKind; direction: KpiDirection; targets: Record<string, number | string> }[];
}

export interface SeedData {
  organisation: OrganisationData;
  monthly: PledgeProgressMonthly;
  status: PledgeStatusReport;
  actionPlan: ActionPlanReport;
  goals: DepartmentGoalsReport;
  programs: DemoProgram[];
}

/** libs/seed/data, resolved from the repository root (where npm scripts and jest run). */
export function defaultSeedDataDir(): string {
  return resolve(process.cwd(), 'libs/seed/data');
}

export function loadSeedData(dataDir = defaultSeedDataDir()): SeedData {
  const read = (name: string) => readFileSync(resolve(dataDir, name), 'utf8');
  return {
    organisation: JSON.parse(read('organisation.json')) as OrganisationData,
    monthly: parsePledgeProgressMonthly(read('pledge-progress-monthly.txt')),
    status: parsePledgeStatusAbcd(read('pledge-status-abcd.txt')),
    actionPlan: parseActionPlanYearly(read('action-plan-yearly.txt')),
    goals: parseDepartmentGoals(read('department-goals-results.txt')),
    programs: (JSON.parse(read('program-evaluation-demo.json')) as { programs: DemoProgram[] }).programs,
  };
}
