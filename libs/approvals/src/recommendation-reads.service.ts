import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export const recommendationKey = (cycleId: number, itemId: number) => `${cycleId}:${itemId}`;

/** Typed reads of `recommendations` and `recommendation_responses` (外部評価) for other libs' read models. */
@Injectable()
export class RecommendationReads {
  constructor(private readonly dataSource: DataSource) {}

  /** The 提言 on these (cycle, item) places, keyed by recommendationKey. */
  async on(
    places: readonly { cycleId: number; itemId: number }[],
    em: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, { id: number; text: string }>> {
    if (!places.length) return new Map();
    const rows: { id: number; cycleId: number; itemId: number; text: string }[] = await em.query(
      `SELECT r.id, r.cycle_id AS "cycleId", r.item_id AS "itemId", r.text
         FROM recommendations r JOIN unnest($1::int[], $2::int[]) p(cycle_id, item_id) ON p.cycle_id = r.cycle_id AND p.item_id = r.item_id`,
      [places.map((p) => p.cycleId), places.map((p) => p.itemId)],
    );
    return new Map(rows.map((r) => [recommendationKey(r.cycleId, r.itemId), { id: r.id, text: r.text }]));
  }

  /** Whether any of these (cycle, item) places, or any item of the cycle `cycleId`, has a 提言. */
  async anyOn(cycleId: number, places: readonly { cycleId: number; itemId: number }[]): Promise<boolean> {
    const [row]: { any: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM recommendations WHERE cycle_id = $1)
           OR EXISTS (SELECT 1 FROM recommendations r JOIN unnest($2::int[], $3::int[]) p(cycle_id, item_id)
                        ON p.cycle_id = r.cycle_id AND p.item_id = r.item_id) AS any`,
      [cycleId, places.map((p) => p.cycleId), places.map((p) => p.itemId)],
    );
    return !!row?.any;
  }

  /** The 対応方針 of these entries to these 提言, keyed `recommendationId:entryId`. */
  async responses(pairs: readonly { recommendationId: number; entryId: number }[], em: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (!pairs.length) return new Map();
    const rows: { recommendationId: number; entryId: number; text: string }[] = await em.query(
      `SELECT rr.recommendation_id AS "recommendationId", rr.entry_id AS "entryId", rr.text
         FROM recommendation_responses rr JOIN unnest($1::int[], $2::int[]) p(rec, entry) ON p.rec = rr.recommendation_id AND p.entry = rr.entry_id`,
      [pairs.map((p) => p.recommendationId), pairs.map((p) => p.entryId)],
    );
    return new Map(rows.map((r) => [`${r.recommendationId}:${r.entryId}`, r.text]));
  }
}
