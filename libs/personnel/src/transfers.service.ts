import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { ApprovalRoutingService, DelegationsService } from '@app/approvals';
import type { RouteUser } from '@app/approvals';
import { AuditService } from '@app/audit';
import { DomainError, DomainEvent } from '@app/common';
import type { EntryAwaitingReviewEvent } from '@app/common';
import { AppConfig } from '@app/config';
import { Actor, ENTRY_STATES_AWAITING_APPROVAL, POST_LABELS, postOf, tokyoToday } from '@app/domain';
import { OrgPostsService } from '@app/org';
import { DelegationLookupService } from '@app/approvals/delegation-lookup.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { DepartmentDirectory } from '@app/org/directory/department-directory.service';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { ItemReads } from '@app/plan-items/reads/item-reads.service';
import { ItemsService } from '@app/plan-items';
import { readTable, UploadedTable } from '@app/plan-items/import/read-table';
import { indexSnapshot, Indexed, OrgSnapshot, readTransferFile, RowReport, TransferRow } from './domain/transfer-file';
import { ApproverChange, approverChanges, Placement, planTransfer, TransferPlan } from './domain/transfer-plan';

export type TransferMode = 'now' | 'on_date';

export interface TransferPreview {
  fileErrors: string[];
  rows: RowReport[];
  summary: {
    rows: number;
    errorRows: number;
    moves: number;
    unchanged: number;
    /** Entries waiting for approval whose approvers change (to the successors). */
    reassignedEntries: number;
    delegationsEnding: number;
    itemsHandedOver: number;
  };
}

export interface ApplyOutcome {
  transferId: number;
  applied: number;
  unchanged: number;
  reassignedEntries: number;
  delegationsEnded: number;
  itemsHandedOver: number;
  /** Entries left without anyone to approve them (a scheduled file whose organisation changed meanwhile). */
  withoutApprover: number[];
}

/** What the file does, computed against the organisation as it is (nothing written). */
interface Analysis {
  index: Indexed;
  rows: TransferRow[];
  reports: RowReport[];
  fileErrors: string[];
  plan: TransferPlan;
  changes: ApproverChange[];
}

/**
 * Bulk 人事異動 from the personnel section's CSV/XLSX: previewed row by row, registered, and
 * applied at once or on each row's 発令日 (the worker's apply-due-transfers job). Applying a
 * row moves the person (section, roles of the post, department head), hands the items they were
 * evaluator of and the entries waiting for them to whoever now holds the post, ends the
 * delegations by or to them, and audits it all per person. Owns personnel_transfers(_rows).
 */
@Injectable()
export class TransfersService {
  private readonly logger = new Logger(TransfersService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly org: OrgPostsService,
    private readonly items: ItemsService,
    private readonly delegations: DelegationsService,
    private readonly routing: ApprovalRoutingService,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly userDirectory: UserDirectory,
    private readonly sectionDirectory: SectionDirectory,
    private readonly departmentDirectory: DepartmentDirectory,
    private readonly entryLookup: EntryReads,
    private readonly itemLookup: ItemReads,
    private readonly delegationLookup: DelegationLookupService,
  ) {}

  async preview(file: UploadedTable | undefined): Promise<TransferPreview> {
    const table = await this.read(file);
    return this.dataSource.transaction('REPEATABLE READ', async (em) => this.report(em, await this.analyse(em, table)));
  }

  /**
   * Registers the file (refused with the report, 422, when a row is wrong: nothing is stored)
   * and, in mode `now`, applies it at once. Mode `on_date`: the worker applies each row on its 発令日.
   */
  async register(
    file: UploadedTable | undefined,
    mode: TransferMode,
    actor: Actor,
  ): Promise<{ transferId: number; preview: TransferPreview; outcome: ApplyOutcome | null }> {
    const table = await this.read(file);
    return this.dataSource.transaction(async (em) => {
      const analysis = await this.analyse(em, table);
      const preview = await this.report(em, analysis);
      if (preview.fileErrors.length || preview.summary.errorRows) {
        throw new DomainError('invalid', preview.fileErrors[0] ?? `${preview.summary.errorRows} 行に誤りがあるため、登録しませんでした`, {
          field: 'file',
          preview,
          errors: preview.rows.flatMap((r) => r.errors.map((message) => ({ field: `row.${r.row}`, row: r.row, message }))),
        });
      }
      const [{ id }] = await em.query(`INSERT INTO personnel_transfers (file_name, mode, created_by) VALUES ($1, $2, $3) RETURNING id`, [
        file?.originalname ?? null,
        mode,
        actor.id,
      ]);
      await em.query(
        `INSERT INTO personnel_transfer_rows (transfer_id, row_number, user_id, section_id, department_id, post, title, effective_date)
         SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::date[])`,
        [
          id,
          analysis.rows.map((r) => r.row),
          analysis.rows.map((r) => r.userId),
          analysis.rows.map((r) => r.sectionId),
          analysis.rows.map((r) => r.departmentId),
          analysis.rows.map((r) => r.post),
          analysis.rows.map((r) => r.title),
          analysis.rows.map((r) => r.effectiveDate),
        ],
      );
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'personnel_transfer.register',
        subjectType: 'personnel_transfer',
        subjectId: id,
        after: { mode, fileName: file?.originalname ?? null, rows: analysis.rows.length, summary: preview.summary },
      });
      const outcome = mode === 'now' ? await this.applyRows(em, id, null, actor.id) : null;
      return { transferId: id, preview, outcome };
    });
  }

  /**
   * Applies every registered row whose 発令日 is on or before `asOf` and that is not applied yet,
   * file by file, each in one transaction. A second run (or a second worker) finds nothing left.
   */
  async applyDue(asOf = tokyoToday()): Promise<ApplyOutcome[]> {
    const due: { transferId: number }[] = await this.dataSource.query(
      `SELECT DISTINCT r.transfer_id AS "transferId" FROM personnel_transfer_rows r JOIN personnel_transfers t ON t.id = r.transfer_id
        WHERE r.applied_at IS NULL AND t.cancelled_at IS NULL AND r.effective_date <= $1 ORDER BY 1`,
      [asOf],
    );
    const out: ApplyOutcome[] = [];
    for (const { transferId } of due) {
      const outcome = await this.dataSource.transaction((em) => this.applyRows(em, transferId, asOf, null));
      if (outcome.applied || outcome.unchanged) this.logger.log(`personnel transfer ${transferId}: ${JSON.stringify(outcome)}`);
      out.push(outcome);
    }
    return out;
  }

  /** The registered files, newest first (the last 100). */
  async list(id?: number) {
    const files: { createdBy: number | null }[] = await this.dataSource.query(
      `SELECT t.id, t.file_name AS "fileName", t.mode, t.created_at AS "createdAt", t.created_by AS "createdBy", t.cancelled_at AS "cancelledAt",
              count(r.id)::int AS rows, count(r.applied_at)::int AS applied,
              to_char(min(r.effective_date), 'YYYY-MM-DD') AS "firstDate", to_char(max(r.effective_date), 'YYYY-MM-DD') AS "lastDate"
         FROM personnel_transfers t LEFT JOIN personnel_transfer_rows r ON r.transfer_id = t.id
        WHERE $1::int IS NULL OR t.id = $1
        GROUP BY t.id ORDER BY t.id DESC LIMIT 100`,
      [id ?? null],
    );
    const users = await this.userDirectory.rows(files.flatMap((f) => (f.createdBy === null ? [] : [f.createdBy])));
    return files.map(({ createdBy, ...f }) => ({ ...f, createdByName: createdBy === null ? null : (users.get(createdBy)?.name ?? null) }));
  }

  async get(id: number) {
    const [transfer] = await this.list(id);
    if (!transfer) throw DomainError.notFound('人事異動', id);
    const stored: {
      row: number;
      userId: number;
      sectionId: number | null;
      departmentId: number;
      post: string;
      title: string;
      effectiveDate: string;
      appliedAt: Date | null;
      outcome: unknown;
    }[] = await this.dataSource.query(
      `SELECT r.row_number AS row, r.user_id AS "userId", r.section_id AS "sectionId", r.department_id AS "departmentId", r.post, r.title,
                to_char(r.effective_date, 'YYYY-MM-DD') AS "effectiveDate", r.applied_at AS "appliedAt", r.outcome
           FROM personnel_transfer_rows r
          WHERE r.transfer_id = $1 ORDER BY r.row_number`,
      [id],
    );
    // Who and where, named by libs/org (the place: the section, or the department of a 部長).
    const users = await this.userDirectory.rows(stored.map((r) => r.userId));
    const departments = await this.departmentDirectory.rows(stored.map((r) => r.departmentId));
    const sections = await this.sectionDirectory.withDepartments(stored.flatMap((r) => (r.sectionId === null ? [] : [r.sectionId])));
    const rows = stored.flatMap(({ userId, sectionId, departmentId, ...r }) => {
      const user = users.get(userId);
      const department = departments.get(departmentId);
      if (!user || !department) return [];
      const placeName = (sectionId === null ? undefined : sections.get(sectionId)?.name) ?? department.name;
      return [
        {
          row: r.row,
          login: user.login,
          name: user.name,
          post: r.post,
          title: r.title,
          effectiveDate: r.effectiveDate,
          placeName,
          appliedAt: r.appliedAt,
          outcome: r.outcome,
        },
      ];
    });
    return { ...transfer, rows };
  }

  /** Withdraws the rows of a file not applied yet (a file registered by mistake); audited. */
  async cancel(id: number, actor: Actor) {
    return this.dataSource.transaction(async (em) => {
      const [t] = await em.query(`SELECT id, cancelled_at FROM personnel_transfers WHERE id = $1 FOR UPDATE`, [id]);
      if (!t) throw DomainError.notFound('人事異動', id);
      if (t.cancelled_at) throw DomainError.conflict('この人事異動は既に取り消されています', { field: 'id' });
      const [{ pending }] = await em.query(`SELECT count(*)::int AS pending FROM personnel_transfer_rows WHERE transfer_id = $1 AND applied_at IS NULL`, [id]);
      if (!pending) throw DomainError.conflict('この人事異動は全て発令済みのため取り消せません', { field: 'id' });
      await em.query(`UPDATE personnel_transfers SET cancelled_at = now(), cancelled_by = $2 WHERE id = $1`, [id, actor.id]);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'personnel_transfer.cancel',
        subjectType: 'personnel_transfer',
        subjectId: id,
        after: { pendingRows: pending },
      });
      return { id, cancelledRows: pending };
    });
  }

  private async read(file: UploadedTable | undefined): Promise<string[][]> {
    if (!file) throw new DomainError('bad_request', 'ファイルを指定してください(フォーム項目名 file)', { field: 'file' });
    const table = await readTable(file, { rows: this.config.IMPORT_MAX_ROWS, columns: this.config.IMPORT_MAX_COLUMNS, cells: this.config.IMPORT_MAX_CELLS });
    if (table.length < 2) throw DomainError.invalid('file', 'データ行がありません');
    return table;
  }

  private async analyse(em: EntityManager, table: string[][]): Promise<Analysis> {
    const snap: OrgSnapshot = await this.org.snapshot(em);
    const index = indexSnapshot(snap);
    const { rows, reports, fileErrors } = readTransferFile(table, snap);
    const plan = planTransfer(index, rows);
    const changes = await this.changes(em, index, plan);
    return { index, rows, reports, fileErrors, plan, changes };
  }

  /** The pending entries of the departments the moves touch, and how their approvers change. */
  private async changes(em: EntityManager, index: Indexed, plan: TransferPlan): Promise<ApproverChange[]> {
    if (!plan.moves.length) return [];
    const dept = (sectionId: number | null) => (sectionId === null ? null : (index.sections.get(sectionId)?.departmentId ?? null));
    const departments = new Set<number>();
    for (const m of plan.moves) for (const d of [dept(m.sectionId), dept(m.before.sectionId), m.headOf, m.before.headOf]) if (d !== null) departments.add(d);
    const moved = plan.moves.map((m) => m.userId);
    // Entries of the sections of those departments, or of the items the moved people evaluate.
    const sectionIds = [...index.sections.values()].filter((s) => departments.has(s.departmentId)).map((s) => s.id);
    const itemIds = (await this.itemLookup.evaluatedBy(moved, em)).map((i) => i.id);
    const ids = await this.entryLookup.refsOfSectionsOrItems(ENTRY_STATES_AWAITING_APPROVAL, { sectionIds, itemIds }, em);
    const routing = await this.routing.routing(
      em,
      ids.map((r) => r.id),
    );
    const users: RouteUser[] = [...index.users.values()].map((u) => ({ id: u.id, sectionId: u.sectionId, roles: u.roles, active: u.active }));
    return approverChanges([...routing.values()], users, plan, (sectionId) => index.sections.get(sectionId)!.departmentId);
  }

  /** The per-row report: the file's own errors, then what each move does to the work in flight. */
  private async report(em: EntityManager, a: Analysis): Promise<TransferPreview> {
    const byRow = new Map(a.reports.map((r) => [r.row, r]));
    const rowOfUser = new Map(a.plan.moves.map((m) => [m.userId, m.row]));
    const name = (id: number | null) => (id === null ? null : (a.index.users.get(id)?.name ?? `#${id}`));
    const sectionName = (id: number) => a.index.sections.get(id)?.name ?? '';
    // Steps nobody could approve after the move: refused, on the rows of the people who leave them.
    const stuck = new Map<number, Map<string, number>>();
    for (const c of a.changes) {
      if (c.after.length > 0 || c.before.length === 0) continue;
      const leaving = c.before.filter((id) => rowOfUser.has(id));
      const rows = leaving.length ? leaving.map((id) => rowOfUser.get(id)!) : a.plan.moves.filter((m) => m.before.sectionId === c.sectionId).map((m) => m.row);
      const key = `「${sectionName(c.sectionId)}」の${c.stepLabel}`;
      for (const row of rows.length ? rows : [a.plan.moves[0].row]) {
        const perRow = stuck.get(row) ?? new Map<string, number>();
        perRow.set(key, (perRow.get(key) ?? 0) + 1);
        stuck.set(row, perRow);
      }
    }
    for (const [row, keys] of stuck)
      for (const [key, n] of keys)
        byRow.get(row)!.errors.push(`承認者不在: この異動の後、${key}の承認待ち ${n} 件を承認できる人がいません（後任を同じファイルで発令してください）`);

    const moved = a.plan.moves.map((m) => m.userId);
    // A delegation its principal chose to keep through a move is kept (and said so); the others end.
    const delegationCounts = await this.delegationLookup.transferDelegationCounts(moved, tokyoToday(), em);
    const delegations = delegationCounts.filter((d) => d.n > 0);
    const keptOf = new Map(delegationCounts.map((d) => [d.userId, d.kept]));
    const evaluated: { userId: number; n: number }[] = [];
    for (const item of await this.itemLookup.evaluatedBy(moved, em)) {
      const counted = evaluated.find((e) => e.userId === item.evaluatorUserId);
      if (counted) counted.n += 1;
      else evaluated.push({ userId: item.evaluatorUserId, n: 1 });
    }
    const delegationsOf = new Map(delegations.map((d) => [d.userId, d.n]));
    const itemsOf = new Map(evaluated.map((d) => [d.userId, d.n]));
    for (const m of a.plan.moves) {
      const r = byRow.get(m.row)!;
      const successor = a.plan.successors.get(m.userId) ?? null;
      const away = a.changes.filter((c) => c.before.includes(m.userId) && !c.after.includes(m.userId) && c.after.length);
      if (away.length) {
        const to = [...new Set(away.flatMap((c) => c.after))].map(name).join('、');
        r.warnings.push(`承認待ち ${away.length} 件の承認者が ${to} に替わります`);
      }
      const items = itemsOf.get(m.userId);
      if (items) r.warnings.push(`評価者として指定された項目 ${items} 件を ${successor ? name(successor) : '部長'} に引き継ぎます`);
      const ds = delegationsOf.get(m.userId);
      if (ds) r.warnings.push(`この職員の代理設定 ${ds} 件を終了します`);
      const kept = keptOf.get(m.userId);
      if (kept) r.warnings.push(`この職員の代理設定 ${kept} 件は、人事異動の後も続ける設定のため継続します`);
      if (m.before.headOf !== null && a.plan.heads.get(m.before.headOf) === null)
        r.warnings.push(`${a.index.departments.get(m.before.headOf)?.name ?? ''}の部長が不在になります（評価者の段階は企画担当が承認します）`);
    }
    const reports = a.reports;
    return {
      fileErrors: a.fileErrors,
      rows: reports,
      summary: {
        rows: reports.length,
        errorRows: reports.filter((r) => r.errors.length).length,
        moves: a.plan.moves.length,
        unchanged: reports.filter((r) => r.unchanged && !r.errors.length).length,
        reassignedEntries: a.changes.filter((c) => c.after.length).length,
        delegationsEnding: delegations.length ? (await this.delegationLookup.delegationIdsEndingOnTransfer(moved, tokyoToday(), em)).length : 0,
        itemsHandedOver: evaluated.reduce((n, e) => n + e.n, 0),
      },
    };
  }

  /**
   * Applies a file's rows not applied yet (due by `asOf`, or all of them when null) in the
   * caller's transaction. The organisation is read again under lock, so the moves are computed
   * from what it is now; a row whose person or section went away meanwhile is skipped, said so.
   */
  private async applyRows(em: EntityManager, transferId: number, asOf: string | null, actorUserId: number | null): Promise<ApplyOutcome> {
    const stored: (TransferRow & { id: number })[] = await em.query(
      `SELECT r.id, r.row_number AS row, r.user_id AS "userId", r.section_id AS "sectionId", r.department_id AS "departmentId", r.post, r.title,
              to_char(r.effective_date, 'YYYY-MM-DD') AS "effectiveDate"
         FROM personnel_transfer_rows r JOIN personnel_transfers t ON t.id = r.transfer_id
        WHERE r.transfer_id = $1 AND r.applied_at IS NULL AND t.cancelled_at IS NULL AND ($2::date IS NULL OR r.effective_date <= $2)
        ORDER BY r.row_number FOR UPDATE OF r SKIP LOCKED`,
      [transferId, asOf],
    );
    const outcome: ApplyOutcome = { transferId, applied: 0, unchanged: 0, reassignedEntries: 0, delegationsEnded: 0, itemsHandedOver: 0, withoutApprover: [] };
    if (!stored.length) return outcome;
    await this.org.lock(
      em,
      stored.map((r) => r.userId),
    );
    const index = indexSnapshot(await this.org.snapshot(em));
    const skipped = new Map<number, string>();
    for (const r of stored) {
      if (!index.users.get(r.userId)?.active) skipped.set(r.id, '利用者が無効化されています');
      else if (r.sectionId !== null && !index.sections.get(r.sectionId)?.active) skipped.set(r.id, '新所属の課が統合・廃止されています');
    }
    const rows = stored.filter((r) => !skipped.has(r.id));
    const plan = planTransfer(index, rows);
    const changes = await this.changes(em, index, plan);
    const comment = (row: TransferRow) => `人事異動（発令日 ${row.effectiveDate}、一括 #${transferId} の ${row.row} 行目）`;
    const byRow = new Map(rows.map((r) => [r.row, r]));

    for (const m of plan.moves) {
      await this.org.place(em, m.userId, m.sectionId, m.roles);
    }
    for (const [departmentId, head] of plan.heads) await this.org.setHead(em, departmentId, head);
    const describe = (p: Placement) => ({
      sectionId: p.sectionId,
      sectionName: p.sectionId === null ? null : (index.sections.get(p.sectionId)?.name ?? null),
      roles: p.roles,
      post: POST_LABELS[postOf(p, p.headOf !== null)],
      headOfDepartmentId: p.headOf,
      headOfDepartmentName: p.headOf === null ? null : (index.departments.get(p.headOf)?.name ?? null),
    });
    await this.audit.recordMany(
      em,
      plan.moves.map((m) => ({
        actorUserId,
        action: 'user.transfer',
        subjectType: 'user',
        subjectId: m.userId,
        before: describe(m.before),
        after: { ...describe(m), successor: plan.successors.get(m.userId) ?? null },
        comment: comment(byRow.get(m.row)!),
      })),
    );
    const handovers = plan.moves.map((m) => ({ fromUserId: m.userId, toUserId: plan.successors.get(m.userId) ?? null }));
    outcome.itemsHandedOver = await this.items.handOverEvaluators(em, handovers, actorUserId, `人事異動（一括 #${transferId}）による評価者の引継ぎ`);
    outcome.delegationsEnded = (
      await this.delegations.endForTransfer(
        em,
        plan.moves.map((m) => m.userId),
        actorUserId,
        `人事異動（一括 #${transferId}）により終了`,
      )
    ).length;
    // Whoever now holds a step is asked to approve (承認依頼), as if the entry had just reached them.
    for (const c of changes) {
      if (!c.after.some((id) => !c.before.includes(id))) continue;
      await this.events.emitAsync(DomainEvent.EntryAwaitingReview, { em, entryId: c.entryId, cycleId: c.cycleId } satisfies EntryAwaitingReviewEvent);
    }
    outcome.reassignedEntries = changes.filter((c) => c.after.length).length;
    outcome.withoutApprover = changes.filter((c) => !c.after.length && c.before.length).map((c) => c.entryId);
    const movedRows = new Set(plan.moves.map((m) => m.row));
    for (const r of stored) {
      const status = skipped.has(r.id) ? 'skipped' : movedRows.has(r.row) ? 'applied' : 'unchanged';
      if (status === 'applied') outcome.applied++;
      if (status === 'unchanged') outcome.unchanged++;
      await em.query(`UPDATE personnel_transfer_rows SET applied_at = now(), outcome = $2 WHERE id = $1`, [
        r.id,
        JSON.stringify({ status, reason: skipped.get(r.id) ?? null }),
      ]);
    }
    await this.audit.record(em, {
      actorUserId,
      action: 'personnel_transfer.apply',
      subjectType: 'personnel_transfer',
      subjectId: transferId,
      after: { asOf, ...outcome, reassigned: changes.map((c) => ({ entryId: c.entryId, before: c.before, after: c.after })) },
    });
    return outcome;
  }
}
