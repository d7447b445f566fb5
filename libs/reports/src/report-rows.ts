import { readsOn } from '@app/database';
import type { EntityManager } from 'typeorm';
import type { AuditReads, EntryApprovalRow } from '@app/audit';
import { type RecommendationReads, recommendationKey } from '@app/approvals';
import type { EntryReadRow, EntryReads } from '@app/entries';
import type { DepartmentRow, SectionDirectory, SectionPlaceRow, UserDirectory } from '@app/org';
import { type ItemReads, pairKey } from '@app/plan-items';
import type { KpiActual, KpiDefinition } from '@app/domain';
import type { ReportEntry } from './columns/report-entry';

/** The owners a report row is assembled from: entries first, then each owner's rows by ids. */
export interface ReportRowSources {
  entries: EntryReads;
  items: ItemReads;
  sections: SectionDirectory;
  users: UserDirectory;
  audit: AuditReads;
  recommendations: RecommendationReads;
}

export interface RowAssembly {
  cycleId: number;
  /** Sections are named as at this date (the end of the period). */
  periodEnd: string;
  /** Departments as named at the period's end (a renamed 部 keeps its old name in old reports). */
  departmentNames: Map<number, string>;
  kpis: boolean;
  approvals: boolean;
  /** The template's cycles of earlier fiscal years (the per-year table of a sheet), or null. */
  earlierCycles: { id: number; fiscalYear: number; periodEnd: string }[] | null;
  scopeValues: Map<string, Record<string, unknown>>;
}

/**
 * Turns batches of entry rows into report rows. Sections, departments and people repeat over
 * a cycle, so they are read once and kept; items, KPIs, approvals, history and 提言 are read
 * per batch, each in one query by ids (no query per row).
 */
export class ReportRowAssembler {
  private readonly sections = new Map<number, SectionPlaceRow & { nameAtEnd: string }>();
  private readonly departments = new Map<number, Pick<DepartmentRow, 'id' | 'name' | 'headUserId'>>();
  private readonly userNames = new Map<number, string>();

  constructor(
    private readonly src: ReportRowSources,
    private readonly opts: RowAssembly,
  ) {}

  async assemble(rows: EntryReadRow[], em: EntityManager): Promise<ReportEntry[]> {
    const itemIds = [...new Set(rows.map((r) => r.itemId))];
    const pairs = { itemIds: rows.map((r) => r.itemId), sectionIds: rows.map((r) => r.sectionId) };
    const previousIds = rows.map((r) => r.previousEntryId).filter((id): id is number => id !== null);
    // The pool's reads side by side; those of the export's own transaction (em) one after the other on its connection.
    const [items, texts, kpis, [approvals, history, previous]] = await Promise.all([
      this.src.items.rows(itemIds),
      this.src.items.sectionTexts(itemIds),
      this.opts.kpis ? this.src.items.kpisOf(itemIds) : Promise.resolve(new Map<number, KpiDefinition[]>()),
      readsOn(em, [
        () =>
          this.opts.approvals
            ? this.src.audit.entryApprovalsSince(
                rows.map((r) => ({ id: r.id, since: r.submittedAt })),
                em,
              )
            : new Map<number, EntryApprovalRow[]>(),
        () => this.history(pairs, em),
        () => this.src.entries.placesOf(previousIds, em),
      ] as const),
      this.learnSections(rows.map((r) => r.sectionId)),
    ]);
    const itemById = new Map(items.map((i) => [i.id, i]));
    const places = [
      ...itemIds.map((itemId) => ({ cycleId: this.opts.cycleId, itemId })),
      ...[...previous.values()].map((p) => ({ cycleId: p.cycleId, itemId: p.itemId })),
    ];
    const recommendations = await this.src.recommendations.on(places, em);
    const previousRecommendation = (r: EntryReadRow) => {
      const p = r.previousEntryId !== null ? previous.get(r.previousEntryId) : undefined;
      return p ? recommendations.get(recommendationKey(p.cycleId, p.itemId)) : undefined;
    };
    const responsePairs = rows.flatMap((r) => {
      const rec = previousRecommendation(r);
      return rec ? [{ recommendationId: rec.id, entryId: r.id }] : [];
    });
    const [responses] = await Promise.all([
      this.src.recommendations.responses(responsePairs, em),
      this.learnPeople([
        ...items.map((i) => i.evaluatorUserId),
        ...[...this.departments.values()].map((d) => d.headUserId),
        ...[...approvals.values()].flat().flatMap((a) => [a.actorUserId, a.onBehalfOfUserId]),
      ]),
    ]);
    const name = (id: number | null | undefined) => (id != null ? (this.userNames.get(id) ?? null) : null);
    return rows.map((r) => {
      const item = itemById.get(r.itemId)!;
      const section = this.sections.get(r.sectionId)!;
      const department = this.departments.get(section.departmentId)!;
      const own = texts.get(pairKey(r.itemId, r.sectionId));
      const prev = previousRecommendation(r);
      const headName = name(department.headUserId);
      return {
        id: r.id,
        itemId: r.itemId,
        state: r.state,
        rating: r.rating,
        previousRating: r.previousRating,
        progress: r.progress,
        fiscalGoal: r.fiscalGoal,
        shortTermPlan: r.shortTermPlan,
        reason: r.reason,
        nextSteps: r.nextSteps,
        kpiActuals: r.kpiActuals as KpiActual[],
        values: r.values,
        submittedAt: r.submittedAt,
        acceptedAt: r.acceptedAt,
        number: item.number,
        subNumber: item.subNumber,
        chapter: item.chapter,
        category: item.category,
        title: item.title,
        content: own?.content ?? item.content,
        targetDateText: own?.targetDateText ?? item.targetDateText,
        attributes: item.attributes,
        sectionId: r.sectionId,
        sectionName: section.nameAtEnd,
        departmentId: department.id,
        departmentName: department.name,
        headName,
        evaluatorName: name(item.evaluatorUserId) ?? headName,
        kpis: kpis.get(r.itemId) ?? [],
        approvals: (approvals.get(r.id) ?? []).map((a) => ({ name: name(a.actorUserId), onBehalfOfName: name(a.onBehalfOfUserId), acting: a.acting })),
        ratingHistory: history.get(pairKey(r.itemId, r.sectionId)) ?? {},
        previousRecommendation: prev?.text ?? null,
        recommendationResponse: prev ? (responses.get(`${prev.id}:${r.id}`) ?? null) : null,
        recommendation: recommendations.get(recommendationKey(this.opts.cycleId, r.itemId))?.text ?? null,
        departmentValues: this.opts.scopeValues.get(`department:${department.id}`) ?? {},
        sectionValues: this.opts.scopeValues.get(`section:${r.sectionId}`) ?? {},
      };
    });
  }

  /** Sections (named as at the period's end) and their departments not read yet. */
  private async learnSections(ids: number[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.sections.has(id));
    if (missing.length) {
      const [rows, names] = await Promise.all([this.src.sections.withDepartments(missing), this.src.sections.namesAt(missing, this.opts.periodEnd)]);
      for (const [id, s] of rows) {
        this.sections.set(id, { ...s, nameAtEnd: names.get(id) ?? s.name });
        this.departments.set(s.departmentId, {
          id: s.departmentId,
          name: this.opts.departmentNames.get(s.departmentId) ?? s.departmentName,
          headUserId: s.headUserId,
        });
      }
    }
  }

  private async learnPeople(ids: (number | null)[]): Promise<void> {
    const missing = [...new Set(ids.filter((id): id is number => id !== null))].filter((id) => !this.userNames.has(id));
    for (const [id, u] of await this.src.users.rows(missing)) this.userNames.set(id, u.name);
  }

  /**
   * The accepted rating of each pair in each earlier fiscal year: the one of the latest period
   * that has an accepted entry for it (the 実施状況 row of a yearly action plan sheet).
   */
  private async history(pairs: { itemIds: number[]; sectionIds: number[] }, em: EntityManager): Promise<Map<string, Record<string, string | null>>> {
    const earlier = this.opts.earlierCycles;
    if (!earlier?.length) return new Map();
    const cycleById = new Map(earlier.map((c) => [c.id, c]));
    const found = await this.src.entries.acceptedRatingsIn(
      earlier.map((c) => c.id),
      pairs,
      em,
    );
    const best = new Map<string, Map<number, { periodEnd: string; rating: string | null }>>();
    for (const f of found) {
      const cycle = cycleById.get(f.cycleId)!;
      const key = pairKey(f.itemId, f.sectionId);
      const years = best.get(key) ?? new Map<number, { periodEnd: string; rating: string | null }>();
      const held = years.get(cycle.fiscalYear);
      if (!held || cycle.periodEnd > held.periodEnd) years.set(cycle.fiscalYear, { periodEnd: cycle.periodEnd, rating: f.rating });
      best.set(key, years);
    }
    return new Map([...best].map(([key, years]) => [key, Object.fromEntries([...years].sort(([a], [b]) => a - b).map(([fy, v]) => [String(fy), v.rating]))]));
  }
}
