import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { hashPassword, scryptParams } from '@app/auth';
import { AppConfig } from '@app/config';
import { organisationCounts } from '@app/org/org-seed-rows';
import { planCounts } from '@app/plan-items/plan-seed-rows';
import { PlanWriter } from './plan-writer';
import { loadSeedData, SeedData } from './seed-data';
import { seedActionPlan, seedDepartmentGoals, seedProgramEvaluation } from './seed-form-plans';
import { SeedCreated, seedOrganisation } from './seed-organisation';
import { seedPledgePlans } from './seed-pledge-plans';

export { PLEDGE_PLAN_CODE, STATUS_PLAN_CODE } from './forms';

/** Every demo user's password. Demo data only: never seed a production database. */
export const DEMO_PASSWORD = 'password';

export interface SeedCount {
  created: number;
  total: number;
}

export interface SeedSummary {
  departments: SeedCount;
  sections: SeedCount;
  users: SeedCount;
  plans: SeedCount;
  items: SeedCount;
  kpis: SeedCount;
}

/**
 * Demo organisation, users and the plans of the five kinds of report: the two pledge plans,
 * the action plan and the department goals from the published reports, and the made-up
 * programs of the program evaluation demo. Idempotent: rows are matched by code / login /
 * (plan, number, sub_number) and only missing ones are inserted, so a second run (or a run on
 * an edited database) changes nothing. Item attributes and KPIs are written with their item,
 * as an import of published data, and counted in the one audited `seed.run`.
 */
@Injectable()
export class SeedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async seed(data: SeedData = loadSeedData()): Promise<SeedSummary> {
    // One hash for every demo user (one salt): hashing each of hundreds of users would take seconds.
    const passwordHash = await hashPassword(DEMO_PASSWORD, scryptParams(this.config));
    return this.dataSource.transaction(async (em) => {
      // One seed at a time: two concurrent runs would otherwise race on the same codes.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('hyoka-seed'))`);
      const created: SeedCreated = { departments: 0, sections: 0, users: 0, plans: 0, items: 0, kpis: 0 };
      const org = await seedOrganisation(em, data, passwordHash, created);
      const plans = new PlanWriter(em, created);
      await seedPledgePlans(plans, data, org);
      await seedActionPlan(plans, data, org);
      await seedDepartmentGoals(plans, data, org);
      await seedProgramEvaluation(plans, data, org);

      const summary = await this.summary(em, created);
      if (Object.values(created).some((n) => n > 0)) {
        await this.audit.record(em, { actorUserId: null, action: 'seed.run', subjectType: 'seed', subjectId: 'demo', after: summary });
      }
      return summary;
    });
  }

  private async summary(em: EntityManager, created: SeedCreated): Promise<SeedSummary> {
    const totals = { ...(await organisationCounts(em)), ...(await planCounts(em)) };
    const pick = (k: keyof SeedSummary): SeedCount => ({ created: created[k], total: totals[k] });
    return {
      departments: pick('departments'),
      sections: pick('sections'),
      users: pick('users'),
      plans: pick('plans'),
      items: pick('items'),
      kpis: pick('kpis'),
    };
  }
}
