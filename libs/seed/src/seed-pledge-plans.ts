import { PLEDGE_PLAN_CODE, STATUS_PLAN_CODE } from './forms';
import { PlanWriter } from './plan-writer';
import type { SeedData } from './seed-data';
import type { SeededOrganisation } from './seed-organisation';

/**
 * The two pledge plans of the published reports: the 45 pledges of the monthly report, one
 * row per responsible section, and the A–D list's 30 pledges × sub-items ①②.
 */
export async function seedPledgePlans(w: PlanWriter, data: SeedData, org: SeededOrganisation): Promise<void> {
  const pledgePlan = await w.plan({ code: PLEDGE_PLAN_CODE, name: '市長公約 重点政策No.1~45', kind: 'pledge' });
  for (const p of data.monthly.pledges) {
    // One row per section: pledge 34 lists 道路建設課 three times, one per project.
    const bySection = new Map<number, { content: string[]; target: string[] }>();
    for (const row of p.rows) {
      for (const name of row.sectionNames) {
        const id = org.sectionId(name);
        const entry = bySection.get(id) ?? { content: [], target: [] };
        if (row.content && !entry.content.includes(row.content)) entry.content.push(row.content);
        if (row.targetDateText && !entry.target.includes(row.targetDateText)) entry.target.push(row.targetDateText);
        bySection.set(id, entry);
      }
    }
    const targets = [...new Set(p.rows.map((r) => r.targetDateText).filter(Boolean))];
    const contents = [...new Set(p.rows.map((r) => r.content).filter(Boolean))];
    const itemId = await w.item(pledgePlan, {
      number: p.number,
      subNumber: '',
      chapter: null,
      category: null,
      title: p.title,
      content: contents.length === 1 ? contents[0] : null,
      targetDateText: targets.length === 1 ? targets[0] : null,
    });
    if (itemId) {
      await w.sections(
        itemId,
        [...bySection].map(([sectionId, s]) => ({ sectionId, content: s.content.join('\n\n') || null, targetDateText: s.target.join(' / ') || null })),
      );
    }
  }

  const statusPlan = await w.plan({ code: STATUS_PLAN_CODE, name: '市長公約（政策宣言）進捗状況', kind: 'pledge' });
  for (const chapter of data.status.chapters) {
    for (const item of chapter.items) {
      const responsible = org.sectionId(data.organisation.pledgeStatusSections[item.category] ?? data.organisation.planningSection);
      for (const sub of item.subItems) {
        const itemId = await w.item(statusPlan, {
          number: item.number,
          subNumber: sub.subNumber,
          chapter: chapter.label,
          // The pledge heading groups its sub-items: '【デジタル】デジタル未来都市推進部門の設置と…'.
          category: `【${item.category}】${item.title}`,
          title: sub.title,
          content: sub.content || null,
          targetDateText: null,
        });
        if (itemId) await w.sections(itemId, [{ sectionId: responsible }]);
      }
    }
  }
}
