import { readsOn } from '@app/database';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { auditInsert } from '@app/audit';
import type { AuditRecord } from '@app/audit';
import { DomainError, DomainEvent } from '@app/common';
import type { EntryAwaitingReviewEvent, EntrySubmittingEvent } from '@app/common';
import { CycleReads, cycleRowSql, CycleRules, RatingScalesService, readRules } from '@app/cycles';
import { SectionDirectory, sectionDepartmentSql } from '@app/org';
import { ItemReads, itemRowSql } from '@app/plan-items';
import {
  Actor,
  EntryAction,
  entryTransition,
  FieldError,
  FormValues,
  RatingScale,
  TransitionError,
  validateDraftValues,
  validateSubmitValues,
} from '@app/domain';
import type { ContentAction } from '@app/domain';
import { SaveEntryDto } from './dto/save-entry.dto';
import { editableSnapshot, Entry } from './entities/entry.entity';
import { assertCanReadEntry, assertCanWriteEntry, canReadEntry, EntryScope } from './entry-access';
import { EntryReadGrants } from './entry-read-grants';
import { FormContextService } from './form-context.service';

/** An entry locked for change, with what the rules need to judge it. */
export interface LockedEntry {
  entry: Entry;
  scope: EntryScope;
  cycleState: string;
  /** The scale, fields and approval route the entry's cycle runs under. */
  rules: CycleRules;
  scale: RatingScale;
  fiscalYear: number;
  /** The head of the department of the entry's section (the evaluator step's default holder). */
  departmentHeadUserId: number | null;
}

/** What lock() reads beside the entry's own columns. */
interface LockContext {
  cycle_state: string;
  template_id: number;
  rules: CycleRules | null;
  fiscal_year: number;
  department_id: number;
  evaluator_user_id: number | null;
  head_user_id: number | null;
}

/** Who an entry change is audited as. */
export interface ChangeAudit {
  actorUserId: number;
  onBehalfOfUserId?: number | null;
  acting?: boolean;
  comment?: string | null;
}

@Injectable()
export class EntriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scales: RatingScalesService,
    private readonly events: EventEmitter2,
    private readonly formContext: FormContextService,
    private readonly readGrants: EntryReadGrants,
    private readonly cycles: CycleReads,
    private readonly sectionDirectory: SectionDirectory,
    private readonly items: ItemReads,
  ) {}

  /** Draft save: validates what is given, never requires completeness. */
  save(id: number, dto: SaveEntryDto, actor: Actor): Promise<Entry> {
    return this.change(id, dto, actor, 'save');
  }

  /** Save and submit in one step: the full submit rules apply to the merged values. */
  submit(id: number, dto: SaveEntryDto, actor: Actor): Promise<Entry> {
    return this.change(id, dto, actor, 'submit');
  }

  private lockText: string | undefined;

  /** The entry's columns under their property names, as TypeORM would hydrate them, and what lock() reads with it. */
  private lockSql(em: EntityManager): string {
    this.lockText ??= `SELECT ${em.connection
      .getMetadata(Entry)
      .columns.map((c) => `e."${c.databaseName}" AS "${c.propertyName}"`)
      .join(', ')},
        c.state AS cycle_state, c.template_id, c.rules, c.fiscal_year, s.department_id, i.evaluator_user_id, s.head_user_id
       FROM entries e JOIN LATERAL (${cycleRowSql('e.cycle_id')}) c ON true JOIN LATERAL (${sectionDepartmentSql('e.section_id')}) s ON true
       JOIN LATERAL (${itemRowSql('e.item_id')}) i ON true
      WHERE e.id = $1
        FOR UPDATE OF e`;
    return this.lockText;
  }

  /**
   * Loads and row-locks an entry inside the caller's transaction, checking that its cycle
   * is open and that the client's version is current (409 with the stored entry otherwise).
   */
  async lock(em: EntityManager, id: number, version: number | undefined, actor?: Actor): Promise<LockedEntry> {
    // The entry row locked, with its cycle's state and the scope of who may see it, in one round
    // trip; one text built once (no query builder per request), so it is prepared per connection.
    const [row]: (Record<string, unknown> & LockContext)[] = await em.query(this.lockSql(em), [id]);
    if (!row) throw DomainError.notFound('エントリー', id);
    const { cycle_state, template_id, rules: cycleRules, fiscal_year, department_id, evaluator_user_id, head_user_id, ...columns } = row;
    const entry = Object.assign(new Entry(), columns);
    const ctx: LockContext = { cycle_state, template_id, rules: cycleRules, fiscal_year, department_id, evaluator_user_id, head_user_id };
    const scope = { sectionId: entry.sectionId, departmentId: ctx.department_id, evaluatorUserId: ctx.evaluator_user_id };
    if (ctx.cycle_state !== 'open' || !ctx.rules) {
      throw DomainError.conflict('このサイクルは締め切られているため変更できません', { cycleState: ctx.cycle_state });
    }
    // An opened cycle always holds its rules (cycles_rules_when_open): the template is never read here.
    const rules = readRules(ctx.rules);
    if (version !== undefined && version !== entry.version) {
      throw DomainError.conflict('このエントリーは他のユーザーによって更新されています。最新の内容を確認してください', {
        field: 'version',
        currentVersion: entry.version,
        // The stored entry only to a caller who may read it (a delegate from another section may
        // act on it without reading it; anyone else gets refused after this check).
        ...(actor && !canReadEntry(actor, scope) ? {} : { current: entry }),
      });
    }
    return {
      entry,
      scope,
      cycleState: ctx.cycle_state,
      rules,
      scale: await this.scales.get(rules.scaleCode, em),
      fiscalYear: ctx.fiscal_year,
      departmentHeadUserId: ctx.head_user_id,
    };
  }

  /**
   * Records the new state of an entry: version history row and audit row, same transaction,
   * one statement (the version row's INSERT as a CTE of the audit row's).
   */
  async recordChange(em: EntityManager, before: Entry, after: Entry, action: string, audit: ChangeAudit): Promise<void> {
    const version = this.versionRow(after, audit);
    const record = auditInsert([this.auditRecord(before, after, action, audit)], version.params.length + 1);
    await em.query(`WITH version AS (INSERT INTO entry_versions (entry_id, version, state, data, edited_by) VALUES ($1, $2, $3, $4, $5)) ${record.sql}`, [
      ...version.params,
      ...record.params,
    ]);
  }

  /**
   * persist and recordChange in one statement, one round trip: the locked entry's row written
   * back, its version row and its audit row (each written only if the UPDATE found the row).
   * The rules are decided before, in TypeScript; this only writes what they decided.
   */
  async writeChange(em: EntityManager, before: Entry, entry: Entry, action: string, audit: ChangeAudit): Promise<Entry> {
    const { id } = entry;
    const meta = em.connection.getMetadata(Entry);
    const columns = meta.columns.filter((c) => !c.isPrimary && !c.isCreateDate && !c.isUpdateDate);
    const values = columns.map((c) => {
      const value = c.getEntityValue(entry);
      return c.type === 'jsonb' && value !== null && value !== undefined ? JSON.stringify(value) : value;
    });
    const set = columns.map((c, i) => `"${c.databaseName}" = $${i + 2}`).join(', ');
    const version = this.versionRow(entry, audit);
    const v = (n: number) => `$${columns.length + 2 + n}`;
    const record = auditInsert([this.auditRecord(before, entry, action, audit)], columns.length + 2 + version.params.length, 'EXISTS (SELECT 1 FROM changed)');
    const rows: { updated_at: Date }[] = await em.query(
      `WITH changed AS (UPDATE entries SET ${set}, updated_at = now() WHERE id = $1 RETURNING updated_at),
            version AS (INSERT INTO entry_versions (entry_id, version, state, data, edited_by) SELECT ${v(0)}::int, ${v(1)}::int, ${v(2)}::text, ${v(3)}::jsonb, ${v(4)}::int FROM changed),
            audit AS (${record.sql})
       SELECT updated_at FROM changed`,
      [id, ...values, ...version.params, ...record.params],
    );
    if (!rows[0]) throw DomainError.notFound('エントリー', id);
    entry.updatedAt = rows[0].updated_at;
    return entry;
  }

  private versionRow(after: Entry, audit: ChangeAudit) {
    return { params: [after.id, after.version, after.state, JSON.stringify(editableSnapshot(after)), audit.actorUserId] };
  }

  private auditRecord(before: Entry, after: Entry, action: string, audit: ChangeAudit): AuditRecord {
    return {
      ...audit,
      action: `entry.${action}`,
      subjectType: 'entry',
      subjectId: after.id,
      // The step too: the history names the step an approval or return was made at.
      before: { state: before.state, version: before.version, currentStep: before.currentStep, ...editableSnapshot(before) },
      after: { state: after.state, version: after.version, currentStep: after.currentStep, ...editableSnapshot(after) },
    };
  }

  /**
   * Writes a locked entry's changed row back. Not em.save: that reads the row again first to
   * find what changed, a round trip the caller, holding the row lock, does not need. A caller
   * that records the change right after should use writeChange (one round trip for both).
   */
  async persist(em: EntityManager, entry: Entry): Promise<Entry> {
    const { id, createdAt: _created, updatedAt: _updated, ...columns } = entry;
    const result = await em
      .createQueryBuilder()
      .update(Entry)
      .set(columns as QueryDeepPartialEntity<Entry>)
      .where('id = :id', { id })
      .returning('updated_at')
      .execute();
    const [row] = result.raw as { updated_at: Date }[];
    if (!row) throw DomainError.notFound('エントリー', id);
    entry.updatedAt = row.updated_at;
    return entry;
  }

  transition(entry: Entry, action: EntryAction) {
    try {
      return entryTransition(entry.state, action);
    } catch (error) {
      if (error instanceof TransitionError) {
        throw DomainError.conflict(error.message, { field: 'state', state: entry.state });
      }
      throw error;
    }
  }

  private change(id: number, dto: SaveEntryDto, actor: Actor, action: ContentAction): Promise<Entry> {
    return this.dataSource.transaction(async (em) => {
      const locked = await this.lock(em, id, dto.version, actor);
      const { entry, scope, rules, scale, fiscalYear } = locked;
      assertCanWriteEntry(actor, scope);
      const rule = this.transition(entry, action);
      const before = em.create(Entry, { ...entry });
      const context = await this.formContext.load(em, {
        cycleId: entry.cycleId,
        itemId: entry.itemId,
        sectionId: entry.sectionId,
        departmentId: scope.departmentId,
        fiscalYear,
        previousRating: entry.previousRating,
      });
      const merged = this.merge(entry, dto);
      const { errors, values }: { errors: FieldError[]; values: FormValues } =
        action === 'submit' ? validateSubmitValues(rules.fields, scale, merged, context) : validateDraftValues(rules.fields, scale, merged, context.kpis);
      if (errors.length) {
        throw new DomainError('invalid', errors.map((e) => e.message).join(' / '), {
          field: errors[0].field,
          errors,
        });
      }
      Object.assign(entry, values);
      entry.state = rule.to === 'by_route' ? entry.state : rule.to;
      entry.version += 1;
      entry.lastEditedBy = actor.id;
      const notes: string[] = [];
      if (action === 'submit') {
        entry.authorUserId = actor.id;
        entry.submittedAt = new Date();
        entry.currentStep = 0;
        // The approval route (libs/approvals) settles the first step in this transaction.
        await this.events.emitAsync(DomainEvent.EntrySubmitting, {
          em,
          entry,
          route: rules.approvalRoute,
          options: rules.approvalOptions,
          place: { evaluatorUserId: scope.evaluatorUserId, departmentHeadUserId: locked.departmentHeadUserId },
          storedWriterIds: [before.authorUserId, before.lastEditedBy],
          notes,
        } satisfies EntrySubmittingEvent);
      }
      const saved = await this.writeChange(em, before, entry, action, { actorUserId: actor.id, comment: notes.join('\n') || null });
      if (action === 'submit' && (saved.state === 'submitted' || saved.state === 'in_review')) {
        await this.events.emitAsync(DomainEvent.EntryAwaitingReview, { em, entryId: saved.id, cycleId: saved.cycleId } satisfies EntryAwaitingReviewEvent);
      }
      return saved;
    });
  }

  /** The stored values with the client's changes over them (a `values` key given as null clears it). */
  private merge(entry: Entry, dto: SaveEntryDto): FormValues {
    const pick = <K extends keyof SaveEntryDto>(key: K, current: unknown) => (dto[key] === undefined ? current : dto[key]);
    return {
      rating: pick('rating', entry.rating) as string | null,
      progress: pick('progress', entry.progress) as string | null,
      fiscalGoal: pick('fiscalGoal', entry.fiscalGoal) as string | null,
      shortTermPlan: pick('shortTermPlan', entry.shortTermPlan) as string | null,
      reason: pick('reason', entry.reason) as string | null,
      nextSteps: pick('nextSteps', entry.nextSteps) as string | null,
      kpiActuals: (dto.kpiActuals ?? entry.kpiActuals) as Entry['kpiActuals'],
      values: { ...(entry.values ?? {}), ...(dto.values ?? {}) },
    };
  }

  /** Where an entry sits (for access decisions) and its cycle's state; 404 when there is none. */
  async placeOf(id: number, em: EntityManager = this.dataSource.manager): Promise<{ scope: EntryScope; cycleState: string; state: string }> {
    const [row]: { sectionId: number; itemId: number; cycleId: number; state: string }[] = await em.query(
      `SELECT section_id AS "sectionId", item_id AS "itemId", cycle_id AS "cycleId", state FROM entries WHERE id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('エントリー', id);
    const [scope, cycles] = await readsOn(em, [() => this.scopeOf(row, em), () => this.cycles.headingsOf([row.cycleId], em)] as const);
    return { scope, cycleState: cycles.get(row.cycleId)!.state, state: row.state };
  }

  /** Who an entry's access rules look at: its section, that section's department, its item's evaluator (from org and plan-items). */
  private async scopeOf(entry: { sectionId: number; itemId: number }, em: EntityManager): Promise<EntryScope> {
    const sections = await this.sectionDirectory.withDepartments([entry.sectionId], em);
    const items = await this.items.labels([entry.itemId], em);
    return {
      sectionId: entry.sectionId,
      departmentId: sections.get(entry.sectionId)!.departmentId,
      evaluatorUserId: items.get(entry.itemId)?.evaluatorUserId ?? null,
    };
  }

  /** Reads one entry after checking the caller may see it. */
  async getForActor(id: number, actor: Actor): Promise<{ entry: Entry; scope: EntryScope }> {
    const entry = await this.dataSource.getRepository(Entry).findOneBy({ id });
    if (!entry) throw DomainError.notFound('エントリー', id);
    const scope = await this.scopeOf(entry, this.dataSource.manager);
    if (!canReadEntry(actor, scope) && !(await this.readGrants.any(id, actor))) assertCanReadEntry(actor, scope);
    return { entry, scope };
  }

  /** A detached copy of the entry's columns (an action's "before", for its version and audit rows). */
  copyOf(entry: Entry): Entry {
    return Object.assign(new Entry(), entry);
  }
}
