import { Injectable } from '@nestjs/common';
import { AuditReads } from '@app/audit';
import { CRLF, DomainError, neutraliseFormula, UTF8_BOM } from '@app/common';
import { CycleReads } from '@app/cycles';
import { ENTRY_ACTION_LABELS, ENTRY_STATE_LABELS, EntryAction, EntryState } from '@app/domain';
import { EntryReads } from '@app/entries';
import { SectionDirectory, UserDirectory } from '@app/org';
import { ItemReads } from '@app/plan-items';

const HEADERS = ['日時', '操作', 'エントリーID', '項目番号', '項目名', '所管課', '操作者', '代理元', '代決', '変更前状態', '変更後状態', 'コメント'];

interface AuditExportRow {
  at: string;
  action: string;
  entryId: string;
  number: number;
  subNumber: string;
  title: string;
  sectionName: string;
  actorName: string | null;
  onBehalfOfName: string | null;
  acting: boolean;
  beforeState: EntryState | null;
  afterState: EntryState | null;
  comment: string | null;
}

/** The audit trail of a cycle's entries as CSV for Excel: UTF-8 with BOM, Japanese headers, 代決 column. */
@Injectable()
export class AuditExportService {
  constructor(
    private readonly auditReads: AuditReads,
    private readonly cycles: CycleReads,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly sectionDirectory: SectionDirectory,
    private readonly userDirectory: UserDirectory,
  ) {}

  async cycleCsv(cycleId: number): Promise<string> {
    if (!(await this.cycles.headingsOf([cycleId])).has(cycleId)) throw DomainError.notFound('サイクル', cycleId);
    // The cycle's entries, their items, sections and the people named, each from its owner; the audit rows by entry.
    const places = await this.entries.placesInCycle(cycleId);
    const audit: (Omit<AuditExportRow, 'number' | 'subNumber' | 'title' | 'sectionName' | 'actorName' | 'onBehalfOfName'> & {
      actorUserId: number | null;
      onBehalfOfUserId: number | null;
    })[] = (await this.auditReads.entryRowsForExport(places.map((p) => p.id))).map((a) => ({
      ...a,
      // The log holds the states the entries lib wrote, so they are EntryStates.
      beforeState: a.beforeState as EntryState | null,
      afterState: a.afterState as EntryState | null,
    }));
    const [items, sections, users] = await Promise.all([
      this.items.labels(places.map((p) => p.itemId)),
      this.sectionDirectory.withDepartments(places.map((p) => p.sectionId)),
      this.userDirectory.forRouting(audit.flatMap((a) => [a.actorUserId, a.onBehalfOfUserId]).filter((id): id is number => id !== null)),
    ]);
    const place = new Map(places.map((p) => [String(p.id), p]));
    const rows: AuditExportRow[] = audit.flatMap(({ actorUserId, onBehalfOfUserId, ...a }) => {
      const p = place.get(a.entryId)!;
      const item = items.get(p.itemId);
      const section = sections.get(p.sectionId);
      if (!item || !section) return [];
      return [
        {
          ...a,
          number: item.number,
          subNumber: item.subNumber,
          title: item.title,
          sectionName: section.name,
          actorName: actorUserId === null ? null : (users.get(actorUserId)?.name ?? null),
          onBehalfOfName: onBehalfOfUserId === null ? null : (users.get(onBehalfOfUserId)?.name ?? null),
        },
      ];
    });
    const lines = [HEADERS, ...rows.map(toCells)].map((cells) => cells.map(csvCell).join(','));
    return UTF8_BOM + lines.join(CRLF) + CRLF;
  }
}

function toCells(r: AuditExportRow): string[] {
  const action = r.action.startsWith('entry.') ? r.action.slice(6) : r.action;
  return [
    r.at,
    ENTRY_ACTION_LABELS[action as EntryAction] ?? r.action,
    r.entryId,
    r.subNumber ? `${r.number}-${r.subNumber}` : String(r.number),
    r.title,
    r.sectionName,
    r.actorName ?? 'システム',
    r.onBehalfOfName ?? '',
    r.acting ? '代決' : '',
    r.beforeState ? (ENTRY_STATE_LABELS[r.beforeState] ?? r.beforeState) : '',
    r.afterState ? (ENTRY_STATE_LABELS[r.afterState] ?? r.afterState) : '',
    r.comment ?? '',
  ];
}

/** Quotes every cell; a leading = + - @ is defused so Excel never runs user text as a formula. */
function csvCell(value: string): string {
  return `"${neutraliseFormula(value).replace(/"/g, '""')}"`;
}
