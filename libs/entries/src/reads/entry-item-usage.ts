import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ItemEntryUsage, ItemEntryUsageSource } from '@app/plan-items';

/** The entries' answers to plan-items (may an item or a KPI go?), registered in ItemEntryUsage. */
@Injectable()
export class EntryItemUsage implements ItemEntryUsageSource, OnModuleInit {
  constructor(private readonly usage: ItemEntryUsage) {}

  onModuleInit(): void {
    this.usage.register(this);
  }

  async itemHasEntries(em: EntityManager, itemId: number): Promise<boolean> {
    const [row] = await em.query(`SELECT 1 FROM entries WHERE item_id = $1 LIMIT 1`, [itemId]);
    return !!row;
  }

  async kpiIdsWithActuals(em: EntityManager, itemId: number, kpiIds: readonly number[]): Promise<Set<number>> {
    const rows: { id: number }[] = await em.query(
      `SELECT k.id FROM unnest($2::int[]) k(id)
        WHERE EXISTS (SELECT 1 FROM entries e, jsonb_array_elements(e.kpi_actuals) a
                       WHERE e.item_id = $1 AND a->'kpiId' = to_jsonb(k.id) AND coalesce(a->>'actual', '') <> '')`,
      [itemId, [...kpiIds]],
    );
    return new Set(rows.map((r) => r.id));
  }
}
