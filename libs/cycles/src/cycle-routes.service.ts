import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ApprovalOptions } from '@app/domain';
import type { ApprovalStepDef } from './entities/cycle-template.entity';

/**
 * The approval route an entry follows: the one its cycle kept when it opened (cycles.rules).
 * The one place that reads it. Entries exist only in opened cycles, and an opened cycle always
 * holds its rules (the cycles_rules_when_open constraint), so there is no fallback to the
 * template: a template edited mid-cycle never re-routes an entry.
 */
@Injectable()
export class CycleRoutesService {
  constructor(private readonly dataSource: DataSource) {}

  async routesOf(cycleIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, ApprovalStepDef[]>> {
    const ids = [...new Set(cycleIds)];
    if (!ids.length) return new Map();
    const rows: { id: number; route: ApprovalStepDef[] | null }[] = await em.query(
      `SELECT id, rules -> 'approvalRoute' AS route FROM cycles WHERE id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.route ?? []]));
  }

  async routeOf(cycleId: number, em?: EntityManager): Promise<ApprovalStepDef[]> {
    return (await this.routesOf([cycleId], em)).get(cycleId) ?? [];
  }

  /**
   * The route with its options (segregation, fallback approvers; stored as the template had them,
   * `readApprovalOptions` gives today's shape) per cycle, in one query: what the routing rules read.
   */
  async routingRulesOf(
    cycleIds: readonly number[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, { route: ApprovalStepDef[]; options: Partial<ApprovalOptions> | null }>> {
    const ids = [...new Set(cycleIds)];
    if (!ids.length) return new Map();
    const rows: { id: number; route: ApprovalStepDef[] | null; options: Partial<ApprovalOptions> | null }[] = await em.query(
      `SELECT id, rules -> 'approvalRoute' AS route, rules -> 'approvalOptions' AS options FROM cycles WHERE id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { route: r.route ?? [], options: r.options }]));
  }
}
