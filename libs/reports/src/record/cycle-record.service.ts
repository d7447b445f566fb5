import { Injectable } from '@nestjs/common';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { ZipFile } from 'yazl';
import { AuditReads, AuditService } from '@app/audit';
import { CycleRoutesService } from '@app/cycles';
import { EntryReads } from '@app/entries';
import { SectionDirectory, UserDirectory } from '@app/org';
import { ItemReads } from '@app/plan-items';
import { csvLine, DomainError, safeFilename, UTF8_BOM } from '@app/common';
import {
  Actor,
  CYCLE_STATE_LABELS,
  CYCLE_STATES_CLOSED,
  disposalDate,
  ENTRY_ACTION_LABELS,
  EntryAction,
  RETENTION_CLASS_LABELS,
  retentionStart,
  tokyoToday,
} from '@app/domain';
import { CsvExportService } from '../csv-export.service';
import { HtmlReportService } from '../html-report.service';
import { CycleContext, ReportDataService } from '../report-data.service';
import { XlsxExportService } from '../xlsx-export.service';
import { PdfPrinterService } from './pdf-printer.service';
import { describeFile, RecordFile, writeFileFrom } from './record-file';

export const RECORD_FORMAT = 'hyoka-cycle-record/1';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What manifest.json says (the last file of the ZIP; it lists every other one). */
export interface RecordManifest {
  format: typeof RECORD_FORMAT;
  cycle: {
    id: number;
    label: string;
    template: string;
    templateId: number;
    period: string;
    periodStart: string;
    periodEnd: string;
    state: string;
    stateLabel: string;
    closedOn: string;
    publishedAt: string | null;
  };
  retention: { class: string; label: string; startsOn: string; disposalDate: string | null };
  generatedAt: string;
  generatedBy: { id: number; name: string };
  files: Omit<RecordFile, 'path'>[];
}

export interface PreparedRecord {
  manifest: RecordManifest;
  /** '令和6年度上半期_市長公約_記録.zip' */
  fileName: string;
  files: RecordFile[];
  dir: string;
}

interface AuditExtractRow {
  id: string;
  chainSeq: string | null;
  hash: string | null;
  at: string;
  action: string;
  subjectType: string;
  subjectId: string;
  actorUserId: number | null;
  actorName: string | null;
  onBehalfOfUserId: number | null;
  onBehalfOfName: string | null;
  acting: boolean;
  before: unknown;
  after: unknown;
  comment: string | null;
}

/**
 * The record (公文書) a closed cycle leaves: one ZIP of the printed report (PDF), the list as
 * CSV and XLSX, the approvals, the cycle's audit extract and a manifest with each file's SHA-256,
 * the 保存期間 and the disposal date. Built in a temporary directory first (so a failure is an
 * error answer, not a truncated ZIP), then streamed.
 */
@Injectable()
export class CycleRecordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly data: ReportDataService,
    private readonly csv: CsvExportService,
    private readonly xlsx: XlsxExportService,
    private readonly html: HtmlReportService,
    private readonly printer: PdfPrinterService,
    private readonly audit: AuditService,
    private readonly auditReads: AuditReads,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly sections: SectionDirectory,
    private readonly users: UserDirectory,
    private readonly routes: CycleRoutesService,
  ) {}

  async prepare(cycleId: number, actor: Actor): Promise<PreparedRecord> {
    const ctx = await this.data.context(cycleId);
    const { cycle } = ctx;
    if (!CYCLE_STATES_CLOSED.includes(cycle.state)) {
      throw DomainError.conflict(
        `サイクルが「${CYCLE_STATE_LABELS[cycle.state]}」のため記録を作成できません。記録は締切済または公表済のサイクルについてのみ作成できます`,
        {
          field: 'state',
          state: cycle.state,
        },
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'hyoka-record-'));
    try {
      const files = await this.build(ctx, dir);
      const manifest = this.manifest(ctx, actor, files);
      await this.dataSource.transaction((em) =>
        this.audit.record(em, {
          actorUserId: actor.id,
          action: 'cycle.record_download',
          subjectType: 'cycle',
          subjectId: cycle.id,
          after: { retention: manifest.retention, files: manifest.files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size })) },
        }),
      );
      return { manifest, files, dir, fileName: `${safeFilename(`${ctx.fileBase}_${ctx.template.name}`)}_記録.zip` };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Streams the ZIP (files, then manifest.json) into `out` and removes the temporary directory. */
  async stream(record: PreparedRecord, out: Writable): Promise<void> {
    try {
      const zip = new ZipFile();
      const mtime = new Date(record.manifest.generatedAt);
      for (const f of record.files) zip.addFile(f.path, f.name, { mtime, compress: f.mediaType !== XLSX_TYPE });
      zip.addBuffer(Buffer.from(JSON.stringify(record.manifest, null, 2) + '\n', 'utf8'), 'manifest.json', { mtime });
      zip.end();
      await new Promise<void>((resolve, reject) => {
        zip.outputStream.on('error', reject);
        out.on('error', reject);
        out.on('close', () => (out.writableFinished ? resolve() : reject(new Error('client went away'))));
        out.on('finish', resolve);
        zip.outputStream.pipe(out);
      });
    } finally {
      await rm(record.dir, { recursive: true, force: true });
    }
  }

  private async build(ctx: CycleContext, dir: string): Promise<RecordFile[]> {
    const id = ctx.cycle.id;
    // Every entry, with its state and approvers (the internal list), as the filed record.
    const htmlPath = await writeFileFrom(dir, 'report.html', (out) => this.html.write(ctx, out, { published: false, acceptedOnly: false }));
    const pdfPath = join(dir, 'report.pdf');
    await this.printer.print(htmlPath, pdfPath);
    await rm(htmlPath);
    const csvPath = await writeFileFrom(dir, 'entries.csv', (out) => this.csv.writeCycle(id, out));
    const xlsxPath = await writeFileFrom(dir, 'entries.xlsx', (out) => this.xlsx.writeCycle(id, out, false));
    const rows = await this.auditExtract(id);
    const approvalsPath = join(dir, 'approvals.csv');
    await writeFile(approvalsPath, await this.approvalsCsv(ctx, rows));
    const auditCsvPath = join(dir, 'audit.csv');
    await writeFile(auditCsvPath, auditCsv(rows));
    const auditJsonPath = join(dir, 'audit.json');
    await writeFile(auditJsonPath, JSON.stringify(rows, null, 1) + '\n');
    return Promise.all([
      describeFile(pdfPath, 'report.pdf', '取組状況の報告書（印刷用、全てのエントリー）', 'application/pdf'),
      describeFile(csvPath, 'entries.csv', 'エントリーの一覧（CSV、UTF-8）', 'text/csv'),
      describeFile(xlsxPath, 'entries.xlsx', 'エントリーの一覧・集計・提出状況（Excel）', XLSX_TYPE),
      describeFile(approvalsPath, 'approvals.csv', '承認・差戻しの記録（CSV）', 'text/csv'),
      describeFile(auditCsvPath, 'audit.csv', 'サイクルの監査ログ抜粋（CSV）', 'text/csv'),
      describeFile(auditJsonPath, 'audit.json', 'サイクルの監査ログ抜粋（JSON、変更前後の値とチェーンのハッシュ付き）', 'application/json'),
    ]);
  }

  /** One line per approval or return: which entry, at which step of the cycle's route, by whom (代決 with its principal), when, why. */
  private async approvalsCsv(ctx: CycleContext, rows: AuditExtractRow[]): Promise<string> {
    const route = await this.routes.routeOf(ctx.cycle.id);
    const places = await this.entries.placesInCycle(ctx.cycle.id);
    const [heads, sections] = await Promise.all([this.items.headsOf(places.map((p) => p.itemId)), this.sections.rows(places.map((p) => p.sectionId))]);
    const headById = new Map(heads.map((h) => [h.id, h]));
    const byId = new Map(
      places.map((p) => {
        const head = headById.get(p.itemId);
        return [
          String(p.id),
          head && { number: head.number, subNumber: head.subNumber, title: head.title, sectionName: sections.get(p.sectionId)?.name ?? '' },
        ];
      }),
    );
    const lines = [csvLine(['エントリーID', '項目番号', '項目名', '所管課', '段階', '操作', '操作者', '代決', '日時', 'コメント'])];
    for (const r of rows) {
      if (r.subjectType !== 'entry' || (r.action !== 'entry.approve' && r.action !== 'entry.return')) continue;
      const e = byId.get(r.subjectId);
      const step = (r.before as { currentStep?: number } | null)?.currentStep;
      lines.push(
        csvLine([
          r.subjectId,
          e ? (e.subNumber ? `${e.number}-${e.subNumber}` : String(e.number)) : '',
          e?.title ?? '',
          e?.sectionName ?? '',
          step !== undefined ? (route[step]?.label ?? `第${step + 1}段階`) : '',
          ENTRY_ACTION_LABELS[r.action.slice(6) as EntryAction],
          r.actorName ?? 'システム',
          r.acting ? (r.onBehalfOfName ? `代決（${r.onBehalfOfName}の代わり）` : '代決') : '',
          r.at,
          r.comment ?? '',
        ]),
      );
    }
    return UTF8_BOM + lines.join('');
  }

  /** The audit rows of the cycle, its entries and its department/section values, in log order, with people named. */
  private async auditExtract(cycleId: number): Promise<AuditExtractRow[]> {
    const { entryIds, scopeValueIds } = await this.entries.subjectIdsOf(cycleId);
    const rows = await this.auditReads.rowsOfSubjects([
      { type: 'cycle', id: cycleId },
      ...entryIds.map((id) => ({ type: 'entry', id })),
      ...scopeValueIds.map((id) => ({ type: 'scope_values', id })),
    ]);
    const people = await this.users.rows(rows.flatMap((r) => [r.actorUserId, r.onBehalfOfUserId]));
    const name = (id: number | null) => (id !== null ? (people.get(id)?.name ?? null) : null);
    // The extract's keys in the order the record has always written them.
    return rows.map((r) => ({
      id: r.id,
      chainSeq: r.chainSeq,
      hash: r.hash,
      at: r.at,
      action: r.action,
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      actorUserId: r.actorUserId,
      actorName: name(r.actorUserId),
      onBehalfOfUserId: r.onBehalfOfUserId,
      onBehalfOfName: name(r.onBehalfOfUserId),
      acting: r.acting,
      before: r.before,
      after: r.after,
      comment: r.comment,
    }));
  }

  private manifest(ctx: CycleContext, actor: Actor, files: RecordFile[]): RecordManifest {
    const { cycle, template } = ctx;
    const closedOn = tokyoToday(cycle.closedAt ?? cycle.publishedAt ?? new Date());
    return {
      format: RECORD_FORMAT,
      cycle: {
        id: cycle.id,
        label: cycle.label,
        template: template.name,
        templateId: template.id,
        period: ctx.period.label,
        periodStart: cycle.periodStart,
        periodEnd: cycle.periodEnd,
        state: cycle.state,
        stateLabel: CYCLE_STATE_LABELS[cycle.state],
        closedOn,
        publishedAt: cycle.publishedAt ? new Date(cycle.publishedAt).toISOString() : null,
      },
      retention: {
        class: template.retentionClass,
        label: RETENTION_CLASS_LABELS[template.retentionClass],
        startsOn: retentionStart(closedOn),
        disposalDate: disposalDate(closedOn, template.retentionClass),
      },
      generatedAt: new Date().toISOString(),
      generatedBy: { id: actor.id, name: actor.name },
      files: files.map(({ path: _path, ...f }) => f),
    };
  }
}

const SUBJECT_LABELS: Record<string, string> = { cycle: 'サイクル', entry: 'エントリー', scope_values: '部・課の項目' };

function auditCsv(rows: AuditExtractRow[]): string {
  const head = ['連番', 'ID', '日時', '操作', '対象', '対象ID', '操作者', '代理元', '代決', 'コメント', 'ハッシュ'];
  const lines = rows.map((r) =>
    csvLine([
      r.chainSeq ?? '',
      r.id,
      r.at,
      r.action.startsWith('entry.') ? (ENTRY_ACTION_LABELS[r.action.slice(6) as EntryAction] ?? r.action) : r.action,
      SUBJECT_LABELS[r.subjectType] ?? r.subjectType,
      r.subjectId,
      r.actorName ?? 'システム',
      r.onBehalfOfName ?? '',
      r.acting ? '代決' : '',
      r.comment ?? '',
      r.hash ?? '',
    ]),
  );
  return UTF8_BOM + csvLine(head) + lines.join('');
}
