import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePledgeProgressMonthly, PledgeProgressMonthly } from './parsers/pledge-progress-monthly.parser';
import { parsePledgeStatusAbcd, PledgeStatusReport } from './parsers/pledge-status-abcd.parser';

export interface OrganisationData {
  departments: { code: string; name: string; sections: [code: string, name: string][] }[];
  planningSection: string;
  pledgeStatusSections: Record<string, string>;
}

export interface SeedData {
  organisation: OrganisationData;
  monthly: PledgeProgressMonthly;
  status: PledgeStatusReport;
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
  };
}
