import { Injectable } from '@nestjs/common';
import { CycleReads, RatingScalesService, TemplatesService } from '@app/cycles';
import { EntryReads } from '@app/entries';
import { DepartmentDirectory, SectionDirectory } from '@app/org';
import { ItemReads, pairKey } from '@app/plan-items';
import { ENTRY_STATE_LABELS, eraYearLabel, findOption } from '@app/domain';
import { RatingGroup, tallyBy, tallyRatings } from './domain/tally';
import { ReportDataService, ReportScope } from './report-data.service';

/** 集計: counts per rating for a cycle, overall, per chapter and per department. */
@Injectable()
export class SummaryService {
  constructor(
    private readonly data: ReportDataService,
    private readonly templates: TemplatesService,
    private readonly scales: RatingScalesService,
    private readonly departments: DepartmentDirectory,
    private readonly cycles: CycleReads,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly sections: SectionDirectory,
  ) {}

  /** Only accepted entries count unless `acceptedOnly` is false (internal view of a cycle in progress). */
  /** `scope`: an evaluator's department and items (reportScope); null for planning, admin and the public page. */
  async forCycle(cycleId: number, acceptedOnly = true, scope: ReportScope = null) {
    const [ctx, rows] = await Promise.all([this.data.context(cycleId), this.groupByChapterAndDepartment(cycleId, acceptedOnly, scope)]);
    const overall = tallyRatings(ctx.scale, rows);
    const chapters = tallyBy(
      ctx.scale,
      rows.map((r) => ({ ...r, key: r.chapter ?? '' })),
    );
    const departments = tallyBy(
      ctx.scale,
      rows.map((r) => ({ ...r, key: r.department_id })),
    );
    // Each department under the name it had at the end of the period.
    const namesThen = await this.departments.allNamesAt(ctx.cycle.periodEnd);
    const departmentNames = new Map(rows.map((r) => [r.department_id, namesThen.get(r.department_id) ?? r.department_name]));
    return {
      cycle: {
        id: ctx.cycle.id,
        label: ctx.cycle.label,
        state: ctx.cycle.state,
        fiscalYear: ctx.cycle.fiscalYear,
        fiscalYearLabel: ctx.fiscalYearLabel,
        periodLabel: ctx.period.label,
        publishedAt: ctx.cycle.publishedAt,
      },
      scale: { code: ctx.scale.code, name: ctx.scale.name },
      acceptedOnly,
      ...overall,
      byChapter: [...chapters].map(([chapter, tally]) => ({ chapter: chapter || null, ...tally })),
      byDepartment: [...departments].map(([departmentId, tally]) => ({
        departmentId,
        departmentName: departmentNames.get(departmentId),
        ...tally,
      })),
    };
  }

  /**
   * The counts per rating × chapter × department, by the group's first item number, then
   * department: entries count them, grouped by the chapter plan-items gives each item and the
   * department org gives each section.
   */
  private async groupByChapterAndDepartment(cycleId: number, acceptedOnly: boolean, scope: ReportScope) {
    const planId = await this.cycles.planIdOf(cycleId);
    if (planId === null) return [];
    const [items, sections, filter] = await Promise.all([this.items.chaptersOfPlan(planId), this.sections.allWithDepartments(), this.entries.filterOf(scope)]);
    const chapters = [...new Set(items.map((i) => i.chapter))];
    const chapterIndex = new Map(chapters.map((c, i) => [c, i]));
    const departmentNames = new Map(sections.map((s) => [s.departmentId, s.departmentName]));
    const groups = await this.entries.ratingGroups(cycleId, acceptedOnly, filter, {
      items: { ids: items.map((i) => i.id), keys: items.map((i) => chapterIndex.get(i.chapter)!), numbers: items.map((i) => i.number) },
      sections: { ids: sections.map((s) => s.id), keys: sections.map((s) => s.departmentId) },
    });
    return groups.map((g) => ({
      rating: g.rating,
      chapter: chapters[g.itemKey],
      department_id: g.sectionKey,
      department_name: departmentNames.get(g.sectionKey)!,
      count: g.count,
    }));
  }

  /**
   * 年度別: items × fiscal years of a template, each fiscal year shown by its last cycle
   * (the year-end report of a multi-year plan), with the rating counts of each year.
   */
  async yearOverYear(templateId: number, acceptedOnly = false, scope: ReportScope = null) {
    const template = await this.templates.get(templateId);
    const scale = await this.scales.get(template.scaleCode);
    const [cycles, filter] = await Promise.all([this.cycles.lastOfEachFiscalYear(templateId), this.entries.filterOf(scope)]);
    const cycleIds = cycles.map((c) => c.id);
    const [planPairs, allCells] = await Promise.all([this.items.sectionPairsOfPlan(template.planId), this.entries.cellsOf(cycleIds, filter)]);
    // Every responsible section of an item, and every section that reported on it, in the reader's scope.
    const pairs = new Map<string, { itemId: number; sectionId: number }>();
    for (const p of [...planPairs.filter((p) => EntryReads.admits(filter, p.itemId, p.sectionId)), ...allCells]) {
      pairs.set(pairKey(p.itemId, p.sectionId), { itemId: p.itemId, sectionId: p.sectionId });
    }
    const [heads, sections] = await Promise.all([
      this.items.headsOf([...pairs.values()].map((p) => p.itemId)),
      this.sections.rows([...pairs.values()].map((p) => p.sectionId)),
    ]);
    const headById = new Map(heads.map((h, rank) => [h.id, { ...h, rank }]));
    const items = [...pairs.values()]
      .filter((p) => headById.has(p.itemId) && sections.has(p.sectionId))
      .map((p) => ({ head: headById.get(p.itemId)!, sectionId: p.sectionId, sectionName: sections.get(p.sectionId)!.name }))
      .sort((a, b) => a.head.rank - b.head.rank || a.sectionId - b.sectionId)
      .map(({ head, sectionId, sectionName }) => ({
        item_id: head.id,
        number: head.number,
        sub_number: head.subNumber,
        chapter: head.chapter,
        title: head.title,
        section_id: sectionId,
        section_name: sectionName,
      }));
    const cells = (acceptedOnly ? allCells.filter((c) => c.state === 'accepted') : allCells).map((c) => ({
      item_id: c.itemId,
      section_id: c.sectionId,
      cycle_id: c.cycleId,
      rating: c.rating,
      state: c.state,
    }));
    const byKey = new Map(cells.map((c) => [`${c.item_id}:${c.section_id}:${c.cycle_id}`, c]));
    return {
      template: { id: template.id, name: template.name, periodType: template.periodType },
      scale,
      acceptedOnly,
      columns: cycles.map((c) => {
        const inCycle = cells.filter((x) => x.cycle_id === c.id);
        return {
          fiscalYear: c.fiscalYear,
          label: eraYearLabel(c.fiscalYear),
          cycleId: c.id,
          cycleLabel: c.label,
          cycleState: c.state,
          counts: tallyRatings(scale, countBy(inCycle)),
        };
      }),
      rows: items.map((r) => ({
        itemId: r.item_id,
        number: r.number,
        subNumber: r.sub_number,
        chapter: r.chapter,
        title: r.title,
        sectionId: r.section_id,
        sectionName: r.section_name,
        cells: cycles.map((c) => {
          const cell = byKey.get(`${r.item_id}:${r.section_id}:${c.id}`);
          const option = findOption(scale, cell?.rating);
          return {
            fiscalYear: c.fiscalYear,
            rating: cell?.rating ?? null,
            symbol: option?.symbol ?? '',
            label: option?.label ?? '',
            state: cell?.state ?? null,
            stateLabel: cell ? ENTRY_STATE_LABELS[cell.state] : null,
          };
        }),
      })),
    };
  }
}

function countBy(cells: { rating: string | null }[]): RatingGroup[] {
  const counts = new Map<string | null, number>();
  for (const c of cells) counts.set(c.rating, (counts.get(c.rating) ?? 0) + 1);
  return [...counts].map(([rating, count]) => ({ rating, count }));
}
