import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { eraDateLabel, tokyoToday, type Actor } from '@app/domain';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { DepartmentsService, OrgActor, SectionsService } from '@app/org';
import { DepartmentDirectory } from '@app/org/directory/department-directory.service';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { readTable, UploadedTable } from '@app/plan-items/import/read-table';
import { reformTiming } from '../domain/reform-schedule';
import { readDate } from '../domain/transfer-file';

export type ReformMode = 'now' | 'on_date';

/** The kinds of change a 機構改革 file names, as the 種別 column says them. */
export const REFORM_KINDS = {
  部の新設: 'department_create',
  部の名称変更: 'department_rename',
  課の新設: 'section_create',
  課の名称変更: 'section_rename',
  課の統合: 'section_merge',
  課の分割: 'section_split',
  課の所属変更: 'section_move',
} as const;
export type ReformKind = (typeof REFORM_KINDS)[keyof typeof REFORM_KINDS];

type Column = 'kind' | 'target' | 'code' | 'name' | 'department' | 'into' | 'date';
const HEADERS: Record<string, Column> = { 種別: 'kind', 対象: 'target', 新コード: 'code', 新名称: 'name', 部: 'department', 統合先: 'into', 施行日: 'date' };

export interface ReformRowReport {
  row: number;
  kind: string;
  target: string;
  /** The row's 施行日 (YYYY-MM-DD), null when it cannot be read. */
  effectiveDate: string | null;
  result: string | null;
  errors: string[];
  warnings: string[];
}

export interface ReformReport {
  fileErrors: string[];
  rows: ReformRowReport[];
  summary: { rows: number; errorRows: number };
}

/** A file as registered: applied at once (appliedAt set on registering) or on its 施行日 by the worker. */
export interface ReformRegistered extends ReformReport {
  reformId: number;
  effectiveDate: string;
  /** True: stored for the worker to apply on effectiveDate; false: applied now. */
  scheduled: boolean;
}

/** What the worker did with one stored file on its 施行日. */
export interface ReformApplyOutcome {
  reformId: number;
  applied: boolean;
  rows: number;
  errorRows: number;
}

class Rollback extends Error {}

/**
 * Bulk 機構改革 from CSV/XLSX: new, renamed, merged, split and moved sections and new or renamed
 * departments, each with its 施行日. The rows run in file order (a row may name a section an
 * earlier row created or renamed), through libs/org's own operations in one transaction, each
 * row under a savepoint so every row's problem is reported. The preview runs the same and rolls
 * back; applying commits only when no row failed. Renames and merges take the 施行日 as the date
 * of the name history, so reports of earlier periods keep the names of their time.
 */
@Injectable()
export class OrgReformService {
  private readonly logger = new Logger(OrgReformService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly sections: SectionsService,
    private readonly departments: DepartmentsService,
    private readonly audit: AuditService,
    private readonly userDirectory: UserDirectory,
    private readonly sectionDirectory: SectionDirectory,
    private readonly departmentDirectory: DepartmentDirectory,
    private readonly entries: EntryReads,
    private readonly cycles: CycleReads,
  ) {}

  async preview(file: UploadedTable | undefined, actor: Actor): Promise<ReformReport> {
    const table = await this.read(file);
    let report: ReformReport | null = null;
    await this.dataSource
      .transaction(async (em) => {
        report = await this.run(em, table, actor);
        throw new Rollback();
      })
      .catch((error) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return report!;
  }

  /**
   * Registers the file (422 with the report when a row is wrong: nothing is stored). It is
   * applied in the same transaction when `mode` is now or every 施行日 has come; otherwise it is
   * stored, checked against the organisation as it is now, for the worker on its 施行日.
   */
  async register(file: UploadedTable | undefined, mode: ReformMode, actor: Actor): Promise<ReformRegistered> {
    const table = await this.read(file);
    return this.dataSource.transaction(async (em) => {
      await em.query('SAVEPOINT reform_file');
      const report = await this.run(em, table, actor);
      if (report.fileErrors.length || report.summary.errorRows) {
        throw refusal(report, report.fileErrors[0] ?? `${report.summary.errorRows} 行に誤りがあるため、適用しませんでした`);
      }
      const timing = reformTiming(
        report.rows.flatMap((r) => (r.effectiveDate ? [r.effectiveDate] : [])),
        mode,
        tokyoToday(),
      );
      if ('error' in timing) {
        report.fileErrors.push(timing.error);
        throw refusal(report, timing.error);
      }
      // A file for a later 施行日 was only checked: the organisation stays as it is until then.
      if (!timing.now) await em.query('ROLLBACK TO SAVEPOINT reform_file');
      const [{ id }] = await em.query(
        `INSERT INTO org_reforms (file_name, effective_date, table_rows, summary, created_by, applied_at, outcome)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::bool THEN now() END, $7) RETURNING id`,
        [
          file?.originalname ?? null,
          timing.effectiveDate,
          JSON.stringify(table),
          JSON.stringify({ rows: report.summary.rows, results: report.rows.map((r) => r.result) }),
          actor.id,
          timing.now,
          timing.now ? JSON.stringify({ applied: true, report }) : null,
        ],
      );
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: timing.now ? 'org_reform.apply' : 'org_reform.schedule',
        subjectType: 'org_reform',
        subjectId: id,
        after: {
          fileName: file?.originalname ?? null,
          effectiveDate: timing.effectiveDate,
          rows: report.rows.map((r) => ({ row: r.row, kind: r.kind, target: r.target, result: r.result })),
        },
      });
      return { ...report, reformId: id, effectiveDate: timing.effectiveDate, scheduled: !timing.now };
    });
  }

  /**
   * Applies every stored file whose 施行日 is on or before `asOf`, one transaction each, the rows
   * run again against the organisation of that day. Each file is taken once (`applied_at`, under
   * FOR UPDATE SKIP LOCKED): a second run, a re-delivered job or a second worker finds nothing.
   * A file a row of which no longer fits (the organisation changed meanwhile) applies no row; it
   * is marked done with its report (outcome.applied false), audited org_reform.fail, shown on the page.
   */
  async applyDue(asOf = tokyoToday()): Promise<ReformApplyOutcome[]> {
    const due: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM org_reforms WHERE applied_at IS NULL AND cancelled_at IS NULL AND effective_date <= $1 ORDER BY effective_date, id`,
      [asOf],
    );
    const out: ReformApplyOutcome[] = [];
    for (const { id } of due) {
      const outcome = await this.dataSource.transaction((em) => this.applyStored(em, id, asOf));
      if (!outcome) continue;
      this.logger.log(`org reform ${id}: ${JSON.stringify(outcome)}`);
      out.push(outcome);
    }
    return out;
  }

  /** The registered files, newest first (the last 100), with what each does and whether it was applied. */
  async list() {
    const rows: { createdBy: number | null; [k: string]: unknown }[] = await this.dataSource.query(
      `SELECT r.id, r.file_name AS "fileName", to_char(r.effective_date, 'YYYY-MM-DD') AS "effectiveDate", r.created_at AS "createdAt",
              r.created_by AS "createdBy", (r.summary->>'rows')::int AS rows, ARRAY(SELECT jsonb_array_elements_text(r.summary->'results')) AS results,
              r.applied_at AS "appliedAt", (r.outcome->>'applied')::bool AS applied, r.cancelled_at AS "cancelledAt",
              COALESCE(r.outcome->'report'->'fileErrors'->>0,
                       (SELECT (x->>'row') || ' 行目: ' || e FROM jsonb_array_elements(r.outcome->'report'->'rows') x, jsonb_array_elements_text(x->'errors') e LIMIT 1))
                AS failure
         FROM org_reforms r
        ORDER BY r.id DESC LIMIT 100`,
    );
    const names = await this.userDirectory.rows(rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])));
    return rows.map(({ createdBy, ...r }) => ({ ...r, createdByName: createdBy ? (names.get(createdBy)?.name ?? null) : null }));
  }

  /** Withdraws a file before its 施行日 (registered by mistake, or the reform postponed); audited. */
  async cancel(id: number, actor: Actor): Promise<{ id: number; effectiveDate: string }> {
    return this.dataSource.transaction(async (em) => {
      const [r] = await em.query(
        `SELECT id, to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate", applied_at AS "appliedAt", cancelled_at AS "cancelledAt"
           FROM org_reforms WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!r) throw DomainError.notFound('機構改革', id);
      if (r.cancelledAt) throw DomainError.conflict('この機構改革は既に取り消されています', { field: 'id' });
      if (r.appliedAt) throw DomainError.conflict('この機構改革は既に適用されたため取り消せません', { field: 'id' });
      await em.query(`UPDATE org_reforms SET cancelled_at = now(), cancelled_by = $2 WHERE id = $1`, [id, actor.id]);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'org_reform.cancel',
        subjectType: 'org_reform',
        subjectId: id,
        after: { effectiveDate: r.effectiveDate },
      });
      return { id, effectiveDate: r.effectiveDate };
    });
  }

  /** One stored file, if still due and not taken by another run: every row or none, audited as by nobody (the worker). */
  private async applyStored(em: EntityManager, id: number, asOf: string): Promise<ReformApplyOutcome | null> {
    const [r]: { id: number; effectiveDate: string; table: string[][]; fileName: string | null }[] = await em.query(
      `SELECT id, to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate", table_rows AS table, file_name AS "fileName" FROM org_reforms
        WHERE id = $1 AND applied_at IS NULL AND cancelled_at IS NULL AND effective_date <= $2 FOR UPDATE SKIP LOCKED`,
      [id, asOf],
    );
    if (!r) return null;
    await em.query('SAVEPOINT reform_file');
    const report = await this.run(em, r.table, { id: null });
    const applied = !report.fileErrors.length && !report.summary.errorRows;
    if (!applied) await em.query('ROLLBACK TO SAVEPOINT reform_file');
    await em.query(`UPDATE org_reforms SET applied_at = now(), outcome = $2 WHERE id = $1`, [id, JSON.stringify({ applied, report })]);
    await this.audit.record(em, {
      actorUserId: null,
      action: applied ? 'org_reform.apply' : 'org_reform.fail',
      subjectType: 'org_reform',
      subjectId: id,
      after: {
        fileName: r.fileName,
        effectiveDate: r.effectiveDate,
        asOf,
        rows: report.rows.map((x) => ({ row: x.row, kind: x.kind, target: x.target, result: x.result, errors: x.errors })),
        fileErrors: report.fileErrors,
      },
      comment: `機構改革（施行日 ${r.effectiveDate}、#${id}）`,
    });
    return { reformId: id, applied, rows: report.summary.rows, errorRows: report.summary.errorRows };
  }

  private async read(file: UploadedTable | undefined): Promise<string[][]> {
    if (!file) throw new DomainError('bad_request', 'ファイルを指定してください(フォーム項目名 file)', { field: 'file' });
    const table = await readTable(file, { rows: this.config.IMPORT_MAX_ROWS, columns: this.config.IMPORT_MAX_COLUMNS, cells: this.config.IMPORT_MAX_CELLS });
    if (table.length < 2) throw DomainError.invalid('file', 'データ行がありません');
    return table;
  }

  private async run(em: EntityManager, table: string[][], actor: OrgActor): Promise<ReformReport> {
    const header = table[0].map((h) => HEADERS[h.normalize('NFKC').replace(/\s+/g, '')] ?? null);
    const col = (c: Column) => header.indexOf(c);
    const fileErrors = (['kind', 'target', 'date'] as const)
      .filter((c) => col(c) < 0)
      .map((c) => `「${{ kind: '種別', target: '対象', date: '施行日' }[c]}」の列がありません`);
    const rows: ReformRowReport[] = [];
    if (fileErrors.length) return { fileErrors, rows, summary: { rows: 0, errorRows: 0 } };
    for (let i = 1; i < table.length; i++) {
      const cells = table[i];
      if (cells.every((c) => c.trim() === '')) continue;
      const cell = (c: Column) => (col(c) >= 0 ? (cells[col(c)] ?? '').normalize('NFKC').trim() : '');
      const report: ReformRowReport = {
        row: i + 1,
        kind: cell('kind'),
        target: cell('target'),
        effectiveDate: readDate(cell('date')),
        result: null,
        errors: [],
        warnings: [],
      };
      rows.push(report);
      await em.query('SAVEPOINT reform_row');
      try {
        await this.row(em, report, cell, actor);
        if (report.errors.length) await em.query('ROLLBACK TO SAVEPOINT reform_row');
        else await em.query('RELEASE SAVEPOINT reform_row');
      } catch (error) {
        await em.query('ROLLBACK TO SAVEPOINT reform_row');
        if (!(error instanceof DomainError)) throw error;
        report.errors.push(error.message);
      }
    }
    return { fileErrors, rows, summary: { rows: rows.length, errorRows: rows.filter((r) => r.errors.length).length } };
  }

  private async row(em: EntityManager, r: ReformRowReport, cell: (c: Column) => string, actor: OrgActor): Promise<void> {
    const kind = REFORM_KINDS[r.kind as keyof typeof REFORM_KINDS];
    if (!kind) {
      r.errors.push(`種別: 「${r.kind}」は扱えません（${Object.keys(REFORM_KINDS).join('・')}）`);
      return;
    }
    const date = readDate(cell('date'));
    if (!date) r.errors.push(`施行日: 「${cell('date')}」を日付として読めません`);
    const need = (c: Column, label: string) => {
      if (!cell(c)) r.errors.push(`${label}: 入力してください`);
      return cell(c);
    };
    const section = async (text: string, label: string) => {
      const s = await this.sectionDirectory.byCodeOrName(text, em);
      if (!s) r.errors.push(`${label}: 「${text}」という課が見つかりません`);
      else if (!s.active) r.errors.push(`${label}: 「${text}」は統合・廃止された課です`);
      return s?.active ? s : null;
    };
    const department = async (text: string, label: string) => {
      const d = await this.departmentDirectory.byCodeOrName(text, em);
      if (!d) r.errors.push(`${label}: 「${text}」という部が見つかりません`);
      return d ?? null;
    };
    const code = () => {
      const c = need('code', '新コード');
      if (c && !/^[a-z0-9][a-z0-9-]{0,49}$/.test(c)) r.errors.push('新コード: 半角英小文字・数字・ハイフンの1〜50文字で入力してください');
      return c;
    };

    switch (kind) {
      case 'department_create': {
        const c = code();
        const name = need('name', '新名称');
        if (r.errors.length || !date) return;
        const d = await this.departments.createIn(em, { code: c, name, validFrom: date! }, actor);
        r.result = `部「${d.name}」(${d.code}) を新設`;
        return;
      }
      case 'department_rename': {
        const d = await department(need('target', '対象'), '対象');
        const name = need('name', '新名称');
        if (r.errors.length || !d) return;
        await this.departments.renameIn(em, d.id, name, date!, actor);
        r.result = `部「${d.name}」を「${name}」に名称変更（${eraDateLabel(date!)}から）`;
        return;
      }
      case 'section_create':
      case 'section_split': {
        const from = kind === 'section_split' ? await section(need('target', '対象'), '対象') : null;
        const c = code();
        const name = need('name', '新名称');
        const d = cell('department') ? await department(cell('department'), '部') : from ? { id: from.departmentId, name: '' } : null;
        if (!d && !from && !cell('department')) r.errors.push('部: 入力してください');
        if (r.errors.length || !d) return;
        await this.sections.createIn(em, { departmentId: d.id, code: c, name, validFrom: date! }, actor);
        r.result = from ? `「${from.name}」から「${name}」(${c}) を分割して新設` : `課「${name}」(${c}) を新設`;
        if (from) r.warnings.push(`項目の所管課と職員は「${from.name}」のままです。分割先が担当する項目は計画・項目で、職員は人事異動で移してください`);
        return;
      }
      case 'section_rename': {
        const s = await section(need('target', '対象'), '対象');
        const name = need('name', '新名称');
        if (r.errors.length || !s) return;
        await this.sections.renameIn(em, s.id, { name, effectiveFrom: date! }, actor);
        r.result = `課「${s.name}」を「${name}」に名称変更（${eraDateLabel(date!)}から）`;
        return;
      }
      case 'section_merge': {
        const s = await section(need('target', '対象'), '対象');
        const into = await section(need('into', '統合先'), '統合先');
        if (r.errors.length || !s || !into) return;
        const moved = await this.sections.mergeIn(em, s.id, { intoSectionId: into.id, effectiveFrom: date! }, actor);
        r.result = `課「${s.name}」を「${into.name}」に統合（項目 ${moved.movedItems} 件が移動${moved.skippedItems ? `、${moved.skippedItems} 件は統合先が既に所管` : ''}）`;
        const users = (await this.userDirectory.activeMembersOf([s.id], em)).get(s.id)?.length ?? 0;
        if (users) r.warnings.push(`「${s.name}」に所属する職員 ${users} 人はそのままです（人事異動で統合先へ移してください）`);
        const open = (await this.entries.refsOfCycles(await this.cycles.openIds(em), { sectionIds: [s.id] }, em)).filter((e) => e.state !== 'accepted').length;
        if (open) r.warnings.push(`受付中のサイクルの「${s.name}」のエントリー ${open} 件は統合前の課のまま進みます`);
        return;
      }
      case 'section_move': {
        const s = await section(need('target', '対象'), '対象');
        const d = await department(need('department', '部'), '部');
        if (r.errors.length || !s || !d) return;
        await this.sections.moveIn(em, s.id, d.id, date!, actor);
        r.result = `課「${s.name}」を「${d.name}」へ移管`;
        return;
      }
    }
  }
}

/** The 422 of a file that cannot be registered, with its report. */
function refusal(report: ReformReport, message: string): DomainError {
  return new DomainError('invalid', message, {
    field: 'file',
    report,
    errors: [
      ...report.fileErrors.map((m) => ({ field: 'file', message: m })),
      ...report.rows.flatMap((r) => r.errors.map((m) => ({ field: `row.${r.row}`, row: r.row, message: m }))),
    ],
  });
}
