import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RatingScalesService, TemplatesService } from '@app/cycles';
import { ENTRY_STATE_LABELS, EntryState, eraYearLabel, findOption } from '@app/domain';
import { OrgNamesService } from '@app/org';
import { RatingGroup, tallyBy, tallyRatings } from './domain/tally';
import { ReportDataService, ReportScope, scopeCondition, scopeParams } from './report-data.service';

/** 集計: counts per rating for a cycle, overall, per chapter and per department. */
@Injectable()
export class SummaryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly data: ReportDataService,
    private readonly templates: TemplatesService,
    private readonly scales: RatingScalesService,
    private readonly orgNames: OrgNamesService,
  ) {}

  /** Only accepted entries count unless `acceptedOnly` is false (internal view of a cycle in progress). */
  /** `scope`: an evaluator's department and items (reportScope); null for planning, admin and the public page. */
  async forCycle(cycleId: number, acceptedOnly = true, scope: ReportScope = null) {
    const ctx = await this.data.context(cycleId);
    const rows: (RatingGroup & { chapter: string | null; department_id: number; department_name: string })[] = await this.dataSource.query(
      `SELECT e.rating, i.chapter, d.id AS department_id, d.name AS department_name, count(*)::int AS count
           FROM entries e
           JOIN plan_items i ON i.id = e.item_id
           JOIN sections s ON s.id = e.section_id
           JOIN departments d ON d.id = s.department_id
          WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted') AND ${scopeCondition(3, 4)}
          GROUP BY e.rating, i.chapter, d.id, d.name
          ORDER BY min(i.number), d.id`,
      [cycleId, acceptedOnly, ...scopeParams(scope)],
    );
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
    const namesThen = await this.orgNames.departmentNamesAt(ctx.cycle.periodEnd);
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
   * 年度別: items × fiscal years of a template, each fiscal year shown by its last cycle
   * (the year-end report of a multi-year plan), with the rating counts of each year.
   */
  async yearOverYear(templateId: number, acceptedOnly = false, scope: ReportScope = null) {
    const template = await this.templates.get(templateId);
    const scale = await this.scales.get(template.scaleCode);
    const cycles: { id: number; fiscal_year: number; label: string; state: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (fiscal_year) id, fiscal_year, label, state FROM cycles
        WHERE template_id = $1 ORDER BY fiscal_year, period_end DESC, id DESC`,
      [templateId],
    );
    const cycleIds = cycles.map((c) => c.id);
    const items: { item_id: number; number: number; sub_number: string; chapter: string | null; title: string; section_id: number; section_name: string }[] =
      await this.dataSource.query(
        `SELECT i.id AS item_id, i.number, i.sub_number, i.chapter, i.title, s.id AS section_id, s.name AS section_name
           FROM plan_items i JOIN plan_item_sections pis ON pis.item_id = i.id JOIN sections s ON s.id = pis.section_id
           JOIN departments d ON d.id = s.department_id
          WHERE i.plan_id = $1 AND ${scopeCondition(3, 4)}
         UNION
         SELECT i.id, i.number, i.sub_number, i.chapter, i.title, s.id, s.name
           FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id
           JOIN departments d ON d.id = s.department_id
          WHERE e.cycle_id = ANY($2) AND ${scopeCondition(3, 4)}
          ORDER BY number, sub_number, section_id`,
        [template.planId, cycleIds, ...scopeParams(scope)],
      );
    const cells: { item_id: number; section_id: number; cycle_id: number; rating: string | null; state: EntryState }[] =
      cycleIds.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT e.item_id, e.section_id, e.cycle_id, e.rating, e.state
               FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id JOIN departments d ON d.id = s.department_id
              WHERE e.cycle_id = ANY($1) AND (NOT $2::bool OR e.state = 'accepted') AND ${scopeCondition(3, 4)}`,
            [cycleIds, acceptedOnly, ...scopeParams(scope)],
          );
    const byKey = new Map(cells.map((c) => [`${c.item_id}:${c.section_id}:${c.cycle_id}`, c]));
    return {
      template: { id: template.id, name: template.name, periodType: template.periodType },
      scale,
      acceptedOnly,
      columns: cycles.map((c) => {
        const inCycle = cells.filter((x) => x.cycle_id === c.id);
        return {
          fiscalYear: c.fiscal_year,
          label: eraYearLabel(c.fiscal_year),
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
            fiscalYear: c.fiscal_year,
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
