import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { recommendationResponseTextSql, recommendationTextSql } from '@app/approvals/recommendation-sql';
import { CycleReads, cycleRowSql, RatingScalesService, TemplatesService } from '@app/cycles';
import { SectionDirectory, UserDirectory } from '@app/org';
import { ItemReads, itemRowSql, pairKey, planItemSectionsSql } from '@app/plan-items';
import {
  Actor,
  allowedEntryActions,
  entryHistoryLabel,
  canSeeAllSections,
  ENTRY_STATE_LABELS,
  EntryState,
  findOption,
  hasRole,
  kpiAchievement,
  KpiActual,
  periodFromKey,
  RatingScale,
  RECOMMENDATION_RESPONSE_LABEL,
  suggestRating,
} from '@app/domain';
import { EntryQueryDto } from './dto/entry-query.dto';
import { EntriesService } from './entries.service';
import { readScopeCondition, readScopeParams } from './entry-access';
import { FormContextService } from './form-context.service';
import { ScopeValuesService } from './scope-values/scope-values.service';

const ENTRY_COLUMNS = `
  e.id, e.cycle_id AS "cycleId", e.item_id AS "itemId", e.section_id AS "sectionId", e.state, e.rating,
  e.progress, e.fiscal_goal AS "fiscalGoal", e.short_term_plan AS "shortTermPlan", e.kpi_actuals AS "kpiActuals",
  e.reason, e.next_steps AS "nextSteps", e."values", e.previous_entry_id AS "previousEntryId", e.previous_rating AS "previousRating",
  e.current_step AS "currentStep", e.author_user_id AS "authorUserId", e.last_edited_by AS "lastEditedBy",
  e.submitted_at AS "submittedAt", e.accepted_at AS "acceptedAt", e.return_comment AS "returnComment",
  e.return_field_comments AS "returnFieldComments", e.route_notes AS "routeNotes", e.version, e.updated_at AS "updatedAt",
  i.number AS "itemNumber", i.sub_number AS "itemSubNumber", i.title AS "itemTitle", i.chapter AS "itemChapter",
  s.name AS "sectionName", c.label AS "cycleLabel", c.state AS "cycleState",
  c.submission_deadline AS "submissionDeadline", c.review_deadline AS "reviewDeadline"`;

/** `$n..$n+2`: the sections (ids, names, department ids) from libs/org, as `s` (see sectionParams). */
function entryJoins(n: number): string {
  return `
  FROM entries e
  JOIN LATERAL (${itemRowSql('e.item_id')}) i ON true
  ${sectionsJoin(n, 'e.section_id')}
  JOIN LATERAL (${cycleRowSql('e.cycle_id')}) c ON true`;
}

/** The sections libs/org gives (sectionParams at `$n..$n+2`) as a table `s(id, name, department_id)`. */
function sectionsJoin(n: number, sectionId: string): string {
  return `JOIN unnest($${n}::int[], $${n + 1}::text[], $${n + 2}::int[]) s(id, name, department_id) ON s.id = ${sectionId}`;
}

function withLabels<T extends { state: EntryState }>(row: T) {
  return { ...row, stateLabel: ENTRY_STATE_LABELS[row.state] };
}

interface MatrixCellRow {
  item_id: number;
  section_id: number;
  cycle_id: number;
  rating: string | null;
  state: EntryState;
  recommendation: string | null;
  response: string | null;
}

interface MatrixRowRow {
  item_id: number;
  number: number;
  sub_number: string;
  title: string;
  section_id: number;
  section_name: string;
}

/** Read models over entries: my work, a cycle's list, one entry in full, the items × periods matrix. */
@Injectable()
export class EntryViewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly templates: TemplatesService,
    private readonly scales: RatingScalesService,
    private readonly audit: AuditService,
    private readonly formContext: FormContextService,
    private readonly scopeValues: ScopeValuesService,
    private readonly sections: SectionDirectory,
    private readonly users: UserDirectory,
    private readonly cycles: CycleReads,
    private readonly items: ItemReads,
  ) {}

  /** Every section's (or only these sections') id, name and department (libs/org), as the parameters of sectionsJoin. */
  private async sectionParams(only?: readonly number[]): Promise<[number[], string[], number[]]> {
    const rows = only ? [...(await this.sections.withDepartments(only)).values()] : await this.sections.allWithDepartments();
    return [rows.map((r) => r.id), rows.map((r) => r.name), rows.map((r) => r.departmentId)];
  }

  /** The caller's section's entries in open cycles, earliest deadline first. */
  async mine(actor: Actor) {
    if (!actor.sectionId) return [];
    const rows = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} ${entryJoins(2)}
        WHERE e.section_id = $1 AND c.state = 'open'
        ORDER BY c.submission_deadline, i.number, i.sub_number`,
      // Only the caller's section: every entry listed is of it (not all sections read at each page view).
      [actor.sectionId, ...(await this.sectionParams([actor.sectionId]))],
    );
    return rows.map(withLabels);
  }

  async listForCycle(cycleId: number, query: EntryQueryDto, actor: Actor) {
    const params: unknown[] = [cycleId];
    const where = ['e.cycle_id = $1'];
    if (!canSeeAllSections(actor)) {
      if (hasRole(actor, 'evaluator') && actor.departmentId) {
        params.push(actor.departmentId, actor.id);
        where.push(`(s.department_id = $${params.length - 1} OR i.evaluator_user_id = $${params.length})`);
      } else {
        params.push(actor.sectionId ?? -1);
        where.push(`e.section_id = $${params.length}`);
      }
    }
    if (query.sectionId) {
      params.push(query.sectionId);
      where.push(`e.section_id = $${params.length}`);
    }
    if (query.state) {
      params.push(query.state);
      where.push(`e.state = $${params.length}`);
    }
    if (query.rating) {
      params.push(query.rating);
      where.push(`e.rating = $${params.length}`);
    }
    const pageSize = query.pageSize ?? 100;
    const page = query.page ?? 1;
    const joins = entryJoins(params.length + 1);
    params.push(...(await this.sectionParams()));
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total ${joins} WHERE ${where.join(' AND ')}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} ${joins} WHERE ${where.join(' AND ')}
        ORDER BY i.number, i.sub_number, s.name
        LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return { total, page, pageSize, items: rows.map(withLabels) };
  }

  /** Everything the entry form needs: the entry, its template rules, the previous cycle's entry, history. */
  async detail(id: number, actor: Actor) {
    await this.entries.getForActor(id, actor);
    const [row] = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS}, c.template_id AS "templateId", c.rules AS "cycleRules", c.fiscal_year AS "fiscalYear", s.department_id AS "departmentId" ${entryJoins(2)} WHERE e.id = $1`,
      [id, ...(await this.sectionParams())],
    );
    const template = await this.templates.forCycle({ templateId: row.templateId, rules: row.cycleRules });
    const scale = await this.scales.get(template.scaleCode);
    const context = await this.formContext.load(this.dataSource.manager, {
      cycleId: row.cycleId,
      itemId: row.itemId,
      sectionId: row.sectionId,
      departmentId: row.departmentId,
      fiscalYear: row.fiscalYear,
      previousRating: row.previousRating,
    });
    const kpis = context.kpis.map((k) => ({
      ...k,
      achievement: kpiAchievement(k, row.fiscalYear, row.kpiActuals?.find((a: KpiActual) => a.kpiId === k.id)?.actual),
    }));
    // The item's texts and the section's own (null: the item's), from libs/plan-items.
    const [itemRow] = await this.items.rows([row.itemId]);
    const own = itemRow ? (await this.items.sectionTexts([row.itemId])).get(pairKey(row.itemId, row.sectionId)) : undefined;
    const item = itemRow
      ? {
          content: itemRow.content,
          targetDateText: itemRow.targetDateText,
          sectionContent: own?.content ?? null,
          sectionTargetDateText: own?.targetDateText ?? null,
        }
      : undefined;
    const previous = row.previousEntryId
      ? (await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} ${entryJoins(2)} WHERE e.id = $1`, [row.previousEntryId, ...(await this.sectionParams())]))[0]
      : null;
    const versionRows: { version: number; state: EntryState; data: unknown; editedAt: Date; editedById: number | null }[] = await this.dataSource.query(
      `SELECT v.version, v.state, v.data, v.edited_at AS "editedAt", v.edited_by AS "editedById"
         FROM entry_versions v WHERE v.entry_id = $1 ORDER BY v.version DESC`,
      [id],
    );
    const editors = await this.users.rows(versionRows.map((v) => v.editedById));
    const versions = versionRows.map(({ editedById, ...v }) => ({ ...v, editedBy: editors.get(editedById ?? -1)?.name ?? null }));
    // Who did what, from the audit log: labels from the transition table, 代決 and comments shown.
    const audited = await this.audit.forSubject('entry', id);
    const history = audited
      .filter((a) => a.action.startsWith('entry.') || a.action === 'recommendation.respond')
      .reverse()
      .map((a) => {
        const step = (a.before as { currentStep?: number } | null)?.currentStep;
        const stepLabel = step !== undefined ? (template.approvalRoute[step]?.label ?? null) : null;
        // The section's answer to an outside 提言 is part of the record too, with its text.
        const response = a.action === 'recommendation.respond' ? ((a.after as { text?: string } | null)?.text ?? null) : undefined;
        return {
          at: a.at,
          action: a.action,
          label: response !== undefined ? RECOMMENDATION_RESPONSE_LABEL : entryHistoryLabel(a.action, stepLabel, a.acting),
          actorName: a.actorName,
          onBehalfOfName: a.acting ? a.onBehalfOfName : null,
          comment: response !== undefined ? response : a.comment,
        };
      });
    const scopes = await this.scopeValues.forEntry(
      { id: row.cycleId, state: row.cycleState, fields: template.fields },
      { departmentId: row.departmentId, sectionId: row.sectionId },
      actor,
    );
    return {
      entry: withLabels(row),
      fiscalYear: row.fiscalYear,
      item: { ...item, attributes: context.attributes, kpis, itemFields: context.itemFields },
      template: { id: template.id, name: template.name, fields: template.fields, layout: template.layout, approvalRoute: template.approvalRoute },
      scopes,
      scale,
      previous: previous ? withLabels(previous) : null,
      allowedActions: allowedEntryActions(row.state),
      suggestion: suggestFromKpis(scale, kpis, row.kpiActuals, row.fiscalYear),
      versions,
      history,
    };
  }

  history(id: number, actor: Actor) {
    return this.entries.getForActor(id, actor).then(() => this.audit.forSubject('entry', id));
  }

  /**
   * Items × periods with rating symbols for one template, as in the monthly pledge report:
   * one row per item and responsible section, one column per cycle of the fiscal year.
   */
  async matrix(templateId: number, fiscalYear: number | undefined, actor: Actor) {
    // Independent reads on the pool, side by side: the matrix is read whole (18,000 cells for a
    // year of monthly reports), and its two big queries need not wait for each other.
    const [template, cycles, sections] = await Promise.all([
      this.templates.get(templateId),
      this.cycles.periodsOfTemplate(templateId, fiscalYear),
      this.sectionParams(),
    ]);
    // What the entry endpoint would let this reader see, and nothing more (canReadEntry).
    const scope = readScopeParams(actor);
    const [scale, cells, rows] = await Promise.all([
      this.scales.get(template.scaleCode),
      cycles.length === 0
        ? []
        : (this.dataSource.query(
            // 外部評価 (libs/approvals' tables, read here for the matrix): this cycle's 提言 on the
            // item, and this entry's 対応方針 to the previous cycle's.
            `SELECT e.item_id, e.section_id, e.cycle_id, e.rating, e.state,
                    ${recommendationTextSql('e.cycle_id', 'e.item_id')} AS recommendation,
                    (SELECT ${recommendationResponseTextSql('e.id', 'pe.cycle_id', 'pe.item_id')} FROM entries pe
                      WHERE pe.id = e.previous_entry_id) AS response
               FROM entries e ${sectionsJoin(6, 'e.section_id')} JOIN LATERAL (${itemRowSql('e.item_id')}) i ON true
              WHERE e.cycle_id = ANY($1) AND ${readScopeCondition(2, 'e.section_id', 's.department_id', 'i.evaluator_user_id')}`,
            [cycles.map((c) => c.id), ...scope, ...sections],
          ) as Promise<MatrixCellRow[]>),
      this.dataSource.query(
        `SELECT i.item_id, i.number, i.sub_number, i.title, s.id AS section_id, s.name AS section_name
           FROM (${planItemSectionsSql('$1')}) i ${sectionsJoin(6, 'i.section_id')}
          WHERE ${readScopeCondition(2, 's.id', 's.department_id', 'i.evaluator_user_id')}
          ORDER BY i.number, i.sub_number, i.sort, s.id`,
        [template.planId, ...scope, ...sections],
      ) as Promise<MatrixRowRow[]>,
    ]);
    const byKey = new Map(cells.map((c) => [`${c.item_id}:${c.section_id}:${c.cycle_id}`, c]));
    return {
      template: { id: template.id, name: template.name, scale },
      fiscalYear: fiscalYear ?? null,
      columns: cycles.map((c) => ({
        cycleId: c.id,
        periodKey: c.period_key,
        label: periodFromKey(template.periodType, c.period_key).shortLabel,
        state: c.state,
      })),
      rows: rows.map((r) => ({
        itemId: r.item_id,
        number: r.number,
        subNumber: r.sub_number,
        title: r.title,
        sectionId: r.section_id,
        sectionName: r.section_name,
        cells: cycles.map((c) => {
          const cell = byKey.get(`${r.item_id}:${r.section_id}:${c.id}`);
          const option = cell?.rating ? findOption(scale, cell.rating) : undefined;
          return {
            cycleId: c.id,
            rating: cell?.rating ?? null,
            symbol: option?.symbol ?? '',
            state: cell?.state ?? null,
            recommendation: cell?.recommendation ?? null,
            response: cell?.response ?? null,
          };
        }),
      })),
    };
  }
}

/**
 * The rating the KPI results point to (actual ÷ this fiscal year's target, averaged over the
 * item's KPIs): shown beside the rating buttons, never applied by itself.
 */
function suggestFromKpis(
  scale: RatingScale,
  kpis: { id: number; kind: string; direction: string; targets: Record<string, number | string> | null }[],
  actuals: KpiActual[],
  fiscalYear: number,
): { rating: string; achievementRate: number } | null {
  // Direction-aware: each KPI's own rate (lower-is-better and milestones included), as a ratio.
  const rates = kpis
    .map((k) => kpiAchievement(k as never, fiscalYear, actuals.find((a) => a.kpiId === k.id)?.actual).rate)
    .filter((r): r is number => r !== null);
  const rate = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length / 100 : null;
  return rate === null ? null : { rating: suggestRating(scale, rate), achievementRate: rate };
}
