import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CRLF, DomainError, neutraliseFormula, UTF8_BOM } from '@app/common';
import { ENTRY_ACTION_LABELS, ENTRY_STATE_LABELS, EntryAction, EntryState } from '@app/domain';

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
  constructor(private readonly dataSource: DataSource) {}

  async cycleCsv(cycleId: number): Promise<string> {
    const [cycle] = await this.dataSource.query(`SELECT id FROM cycles WHERE id = $1`, [cycleId]);
    if (!cycle) throw DomainError.notFound('サイクル', cycleId);
    const rows: AuditExportRow[] = await this.dataSource.query(
      `SELECT to_char(a.at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI:SS') AS at, a.action, a.subject_id AS "entryId",
              i.number, i.sub_number AS "subNumber", i.title, s.name AS "sectionName", u.name AS "actorName",
              b.name AS "onBehalfOfName", a.acting, a.before ->> 'state' AS "beforeState", a.after ->> 'state' AS "afterState",
              a.comment
         FROM entries e
         JOIN audit_log a ON a.subject_type = 'entry' AND a.subject_id = e.id::text
         JOIN plan_items i ON i.id = e.item_id
         JOIN sections s ON s.id = e.section_id
         LEFT JOIN users u ON u.id = a.actor_user_id
         LEFT JOIN users b ON b.id = a.on_behalf_of_user_id
        WHERE e.cycle_id = $1
        ORDER BY a.id`,
      [cycleId],
    );
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
