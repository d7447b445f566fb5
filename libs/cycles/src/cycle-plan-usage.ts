import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlWords } from '@app/common';
import { CYCLE_STATES_IN_PROGRESS } from '@app/domain';
import { PlanUsage, PlanUsageSource } from '@app/plan-items';

/** The cycles' answers to plan-items (is a plan used, does a form read an attribute), registered in PlanUsage. */
@Injectable()
export class CyclePlanUsage implements PlanUsageSource, OnModuleInit {
  constructor(private readonly usage: PlanUsage) {}

  onModuleInit(): void {
    this.usage.register(this);
  }

  async planHasTemplates(em: EntityManager, planId: number): Promise<boolean> {
    const [row] = await em.query(`SELECT 1 FROM cycle_templates WHERE plan_id = $1 LIMIT 1`, [planId]);
    return !!row;
  }

  formsMatching(em: EntityManager, planId: number, patterns: readonly string[]): Promise<{ name: string; text: string }[]> {
    return em.query(
      `SELECT 'テンプレート「' || t.name || '」' AS name, t.fields::text AS text FROM cycle_templates t
        WHERE t.plan_id = $1 AND t.fields::text LIKE ANY($2::text[])
       UNION ALL
       SELECT 'サイクル「' || c.label || '」', c.rules::text FROM cycles c JOIN cycle_templates t ON t.id = c.template_id
        WHERE t.plan_id = $1 AND c.state IN (${sqlWords(CYCLE_STATES_IN_PROGRESS)}) AND c.rules::text LIKE ANY($2::text[])`,
      [planId, [...patterns]],
    );
  }
}
