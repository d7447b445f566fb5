import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What libs/cycles answers about a plan's templates and cycles (plan-items never queries them). */
export interface PlanUsageSource {
  planHasTemplates(em: EntityManager, planId: number): Promise<boolean>;
  /**
   * The plan's templates, and its cycles in progress, whose form text matches one of the LIKE
   * `patterns`: a label to name each in a message ('テンプレート「…」', 'サイクル「…」') and the text.
   */
  formsMatching(em: EntityManager, planId: number, patterns: readonly string[]): Promise<{ name: string; text: string }[]>;
}

/** libs/cycles registers its answers here (cycles imports plan-items; not the other way round). */
@Injectable()
export class PlanUsage implements PlanUsageSource {
  private source: PlanUsageSource | null = null;

  register(source: PlanUsageSource): void {
    this.source = source;
  }

  planHasTemplates(em: EntityManager, planId: number): Promise<boolean> {
    return this.registered().planHasTemplates(em, planId);
  }

  formsMatching(em: EntityManager, planId: number, patterns: readonly string[]): Promise<{ name: string; text: string }[]> {
    return this.registered().formsMatching(em, planId, patterns);
  }

  private registered(): PlanUsageSource {
    if (!this.source) throw new Error('PlanUsage: libs/cycles (CyclesModule) is not loaded');
    return this.source;
  }
}
