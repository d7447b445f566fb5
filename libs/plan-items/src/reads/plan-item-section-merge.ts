import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SectionItems, SectionItemsSource } from '@app/org';

/** Plan-items' part of a section merge (org's SectionsService.mergeIn), registered in SectionItems. */
@Injectable()
export class PlanItemSectionMerge implements SectionItemsSource, OnModuleInit {
  constructor(private readonly sectionItems: SectionItems) {}

  onModuleInit(): void {
    this.sectionItems.register(this);
  }

  async moveSectionItems(em: EntityManager, fromId: number, intoId: number): Promise<{ moved: number; skipped: number }> {
    const moved: { item_id: number }[] = await em.query(
      `INSERT INTO plan_item_sections (item_id, section_id, content, target_date_text, sort)
       SELECT item_id, $2, content, target_date_text, sort FROM plan_item_sections WHERE section_id = $1
       ON CONFLICT (item_id, section_id) DO NOTHING
       RETURNING item_id`,
      [fromId, intoId],
    );
    const [{ count }] = await em.query(`SELECT count(*)::int AS count FROM plan_item_sections WHERE section_id = $1`, [fromId]);
    await em.query(`DELETE FROM plan_item_sections WHERE section_id = $1`, [fromId]);
    return { moved: moved.length, skipped: count - moved.length };
  }
}
