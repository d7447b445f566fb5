import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '@app/audit';
import { SectionDirectory } from '@app/org';
import { ItemReads } from '@app/plan-items';
import { CycleOpenedEvent, CyclePublishedEvent, CycleStateChangedEvent, DomainError, DomainEvent } from '@app/common';
import {
  Actor,
  CycleAction,
  cycleTransition,
  deadlineFromPeriodEnd,
  entryTransition,
  EntryState,
  Period,
  periodContaining,
  periodFromKey,
  systemSourceStates,
  SystemEntryAction,
  TransitionError,
} from '@app/domain';
import { CreateCycleDto, CycleActionDto } from './dto/cycle.dto';
import { CycleTemplate } from './entities/cycle-template.entity';
import { rulesOf } from './cycle-rules';
import { Cycle } from './entities/cycle.entity';
import { CycleEntryWriter } from './cycle-entry-writer';
import { CycleOpeningService } from './cycle-opening.service';
import { CycleRoutesService } from './cycle-routes.service';
import { TemplatesService } from './templates.service';

export interface CycleActionResult {
  cycle: Cycle;
  /** Entries created by an open (0 when it was already open and nothing was added). */
  createdEntries?: number;
  /** Entries marked 未提出 by a forced close. */
  markedNotSubmitted?: number;
  /** What the opening means for the sections' mail, when it is not the usual (a late opening). */
  notes?: string[];
  /** Entries still in review at a forced close, marked 未承認. */
  markedNotApproved?: number;
  /** Those entries, for the close's result screen (item, section, the step they waited at). */
  notApproved?: NotApprovedEntry[];
}

export interface NotApprovedEntry {
  entryId: number;
  itemNumber: number;
  itemSubNumber: string;
  itemTitle: string;
  sectionName: string;
  /** The step the entry waited at when the cycle closed. */
  stepLabel: string | null;
}

@Injectable()
export class CyclesService {
  constructor(
    @InjectRepository(Cycle) private readonly cycles: Repository<Cycle>,
    private readonly templates: TemplatesService,
    private readonly opening: CycleOpeningService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
    private readonly routes: CycleRoutesService,
    private readonly items: ItemReads,
    private readonly sections: SectionDirectory,
    private readonly entryWriter: CycleEntryWriter,
  ) {}

  list(filter: { templateId?: number; state?: string }): Promise<Cycle[]> {
    const where: Record<string, unknown> = {};
    if (filter.templateId) where.templateId = filter.templateId;
    if (filter.state) where.state = filter.state;
    return this.cycles.find({ where, order: { periodStart: 'DESC', id: 'DESC' } });
  }

  async get(id: number): Promise<Cycle> {
    const cycle = await this.cycles.findOneBy({ id });
    if (!cycle) throw DomainError.notFound('サイクル', id);
    return cycle;
  }

  /** The cycle for a template's period; creates it (draft) if missing. Idempotent. */
  async ensure(dto: CreateCycleDto, actor: Actor | null): Promise<{ cycle: Cycle; created: boolean }> {
    const template = await this.templates.get(dto.templateId);
    const period = this.periodOf(template, dto);
    const existing = await this.cycles.findOneBy({ templateId: template.id, periodKey: period.key });
    if (existing) return { cycle: existing, created: false };
    return this.dataSource.transaction(async (em) => {
      const inserted = await em.query(
        `INSERT INTO cycles (template_id, period_key, period_start, period_end, fiscal_year, label,
                             submission_deadline, review_deadline)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (template_id, period_key) DO NOTHING RETURNING id`,
        [
          template.id,
          period.key,
          period.start,
          period.end,
          period.fiscalYear,
          `${template.name} ${period.label}`,
          deadlineFromPeriodEnd(period.end, template.submissionOffsetDays),
          deadlineFromPeriodEnd(period.end, template.reviewOffsetDays),
        ],
      );
      const cycle = await em.findOneByOrFail(Cycle, { templateId: template.id, periodKey: period.key });
      if (inserted.length === 0) return { cycle, created: false };
      await this.audit.record(em, {
        actorUserId: actor?.id ?? null,
        action: 'cycle.create',
        subjectType: 'cycle',
        subjectId: cycle.id,
        after: cycle,
      });
      return { cycle, created: true };
    });
  }

  async act(id: number, dto: CycleActionDto, actor: Actor | null): Promise<CycleActionResult> {
    const result = await this.change(id, dto, actor);
    // After the commit: the frozen public version is rendered from what the publication committed.
    if (dto.action === 'publish') {
      await this.events.emitAsync(DomainEvent.CyclePublished, { cycleId: id, actorUserId: actor?.id ?? null } satisfies CyclePublishedEvent);
    }
    return result;
  }

  private change(id: number, dto: CycleActionDto, actor: Actor | null): Promise<CycleActionResult> {
    return this.dataSource.transaction(async (em) => {
      // The row lock serialises concurrent actions on one cycle (two "open" clicks, open vs close).
      const cycle = await em.findOne(Cycle, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!cycle) throw DomainError.notFound('サイクル', id);
      if (dto.action === 'open' && cycle.state === 'open') {
        // Opening again only adds entries for items or sections added since; nothing else changes.
        const createdEntries = await this.opening.createEntries(em, id);
        if (createdEntries > 0) await this.auditAction(em, cycle, cycle, dto, actor, { createdEntries });
        return { cycle, createdEntries };
      }
      const rule = this.transition(cycle, dto.action);
      if (rule.needsReason && !dto.reason?.trim()) {
        throw DomainError.invalid('reason', `「${rule.label}」には理由の入力が必要です`);
      }
      const before = { ...cycle };
      const result: CycleActionResult = { cycle };
      if (dto.action === 'open') {
        // Kept from the first opening: a reopened cycle goes on under the rules it ran with.
        cycle.rules ??= rulesOf(await em.findOneByOrFail(CycleTemplate, { id: cycle.templateId }));
        result.createdEntries = await this.opening.createEntries(em, id);
        const opened: CycleOpenedEvent = { em, cycleId: id, notes: [] };
        await this.events.emitAsync(DomainEvent.CycleOpened, opened);
        if (opened.notes.length) result.notes = opened.notes;
      }
      if (dto.action === 'close') await this.assertAllAccepted(em, id);
      if (dto.action === 'force_close') {
        result.markedNotSubmitted = (await this.markBySystem(em, id, actor, 'mark_not_submitted', dto.reason)).length;
        const notApproved = await this.markBySystem(em, id, actor, 'mark_not_approved', dto.reason);
        result.markedNotApproved = notApproved.length;
        result.notApproved = await this.notApprovedList(em, id, notApproved);
      }
      cycle.state = rule.to;
      cycle.version += 1;
      const now = new Date();
      if (rule.to === 'open' && !cycle.openedAt) cycle.openedAt = now;
      if (rule.to === 'closed') cycle.closedAt = now;
      if (rule.to === 'published') cycle.publishedAt = now;
      if (rule.to === 'open') {
        cycle.closedAt = null;
        cycle.publishedAt = null;
      }
      result.cycle = await em.save(cycle);
      await this.auditAction(em, before, result.cycle, dto, actor, result);
      if (dto.action === 'close' || dto.action === 'force_close' || dto.action === 'reopen') {
        await this.events.emitAsync(DomainEvent.CycleStateChanged, {
          em,
          cycleId: id,
          action: dto.action,
          reason: dto.reason?.trim() || null,
        } satisfies CycleStateChangedEvent);
      }
      return result;
    });
  }

  /**
   * Run by the worker's job scheduler: for every template with automatic opening, the cycle
   * of the period containing `today` is created and opened. Safe to run any number of times.
   */
  async openDueCycles(today: string): Promise<{ templateId: number; cycleId: number; createdEntries: number }[]> {
    const templates = (await this.templates.list()).filter((t) => t.active && t.autoOpen);
    const opened = [];
    for (const template of templates) {
      const { cycle } = await this.ensure({ templateId: template.id, date: today }, null);
      if (cycle.state !== 'draft') continue;
      const result = await this.act(cycle.id, { action: 'open' }, null);
      opened.push({ templateId: template.id, cycleId: cycle.id, createdEntries: result.createdEntries ?? 0 });
    }
    return opened;
  }

  private transition(cycle: Cycle, action: CycleAction) {
    try {
      return cycleTransition(cycle.state, action);
    } catch (error) {
      if (error instanceof TransitionError) {
        throw DomainError.conflict(error.message, { field: 'action', state: cycle.state });
      }
      throw error;
    }
  }

  private async assertAllAccepted(em: EntityManager, cycleId: number): Promise<void> {
    const open = await this.entryWriter.countNotAccepted(em, cycleId);
    if (open > 0) {
      throw DomainError.conflict(`承認済みでないエントリーが ${open} 件あるため締め切れません。強制締切(force_close)には理由が必要です`, {
        field: 'action',
        openEntries: open,
      });
    }
  }

  /**
   * Forced close: the transition table's system rows move entries never submitted to 未提出 and
   * entries still in review to 未承認, each with its version row and audit row (the close's reason
   * as its comment). Returns the entries moved.
   */
  private async markBySystem(
    em: EntityManager,
    cycleId: number,
    actor: Actor | null,
    action: SystemEntryAction,
    reason: string | undefined,
  ): Promise<{ id: number; state: string; currentStep: number; itemId: number; sectionId: number }[]> {
    const to = entryTransition(systemSourceStates(action)[0], action).to as EntryState;
    const rows = await this.entryWriter.moveBySystem(em, cycleId, systemSourceStates(action), to, actor?.id ?? null);
    await this.audit.recordMany(
      em,
      rows.map((r) => ({
        actorUserId: actor?.id ?? null,
        action: `entry.${action}`,
        subjectType: 'entry',
        subjectId: r.id,
        before: { state: r.state, currentStep: r.currentStep },
        after: { state: to, currentStep: r.currentStep },
        comment: reason?.trim() || null,
      })),
    );
    return rows;
  }

  /** The entries a forced close left 未承認, in item order, with the step each waited at (the cycle's own route). */
  private async notApprovedList(
    em: EntityManager,
    cycleId: number,
    moved: { id: number; currentStep: number; itemId: number; sectionId: number }[],
  ): Promise<NotApprovedEntry[]> {
    if (!moved.length) return [];
    // One after the other: all three run on the transaction's one connection (pg would only queue them).
    const heads = await this.items.headsOf(
      moved.map((m) => m.itemId),
      em,
    );
    const sections = await this.sections.rows(
      moved.map((m) => m.sectionId),
      em,
    );
    const route = await this.routes.routeOf(cycleId, em);
    const rank = new Map(heads.map((h, i) => [h.id, { ...h, rank: i }]));
    return moved
      .filter((m) => rank.has(m.itemId))
      .map((m) => ({ m, item: rank.get(m.itemId)!, sectionName: sections.get(m.sectionId)?.name ?? '' }))
      .sort((a, b) => a.item.rank - b.item.rank || (a.sectionName < b.sectionName ? -1 : a.sectionName > b.sectionName ? 1 : 0) || a.m.id - b.m.id)
      .map(({ m, item, sectionName }) => ({
        entryId: m.id,
        itemNumber: item.number,
        itemSubNumber: item.subNumber,
        itemTitle: item.title,
        sectionName,
        stepLabel: route[m.currentStep]?.label ?? null,
      }));
  }

  private auditAction(em: EntityManager, before: Partial<Cycle>, after: Cycle, dto: CycleActionDto, actor: Actor | null, extra: Partial<CycleActionResult>) {
    return this.audit.record(em, {
      actorUserId: actor?.id ?? null,
      action: `cycle.${dto.action}`,
      subjectType: 'cycle',
      subjectId: after.id,
      before: { state: before.state },
      after: {
        state: after.state,
        createdEntries: extra.createdEntries,
        markedNotSubmitted: extra.markedNotSubmitted,
        markedNotApproved: extra.markedNotApproved,
        notes: extra.notes,
      },
      comment: dto.reason ?? null,
    });
  }

  private periodOf(template: CycleTemplate, dto: CreateCycleDto): Period {
    const opts = { spanYears: template.spanYears ?? undefined, firstFiscalYear: template.firstFiscalYear ?? undefined };
    try {
      if (dto.periodKey) return periodFromKey(template.periodType, dto.periodKey);
      if (dto.date) return periodContaining(template.periodType, dto.date, opts);
    } catch (error) {
      throw DomainError.invalid(dto.periodKey ? 'periodKey' : 'date', (error as Error).message);
    }
    throw DomainError.invalid('periodKey', 'periodKey または date を指定してください');
  }
}
