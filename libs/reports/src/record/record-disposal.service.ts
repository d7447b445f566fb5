import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlWords } from '@app/common';
import {
  CYCLE_STATE_LABELS,
  CYCLE_STATES_CLOSED,
  CycleState,
  disposalDate,
  fiscalYearEnd,
  fiscalYearOf,
  RETENTION_CLASS_LABELS,
  RetentionClass,
  tokyoToday,
} from '@app/domain';

export interface DisposalRow {
  cycleId: number;
  label: string;
  templateId: number;
  templateName: string;
  state: CycleState;
  stateLabel: string;
  closedOn: string;
  retentionClass: RetentionClass;
  retentionLabel: string;
  disposalDate: string;
}

export interface DisposalList {
  asOf: string;
  /** Disposal date on or before asOf: due for disposal now (廃棄対象). */
  due: DisposalRow[];
  /** After asOf, up to the end of the next fiscal year (次年度末まで): to plan the next 廃棄. */
  upcoming: DisposalRow[];
  upcomingUntil: string;
}

/** The planning division's list of cycle records whose 保存期間 has ended or ends by the end of the next fiscal year. */
@Injectable()
export class RecordDisposalService {
  constructor(private readonly dataSource: DataSource) {}

  async list(asOf = tokyoToday()): Promise<DisposalList> {
    const rows: { id: number; label: string; templateId: number; templateName: string; state: CycleState; closedOn: string; retentionClass: RetentionClass }[] =
      await this.dataSource.query(
        `SELECT c.id, c.label, t.id AS "templateId", t.name AS "templateName", c.state,
                to_char(COALESCE(c.closed_at, c.published_at) AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS "closedOn",
                t.retention_class AS "retentionClass"
           FROM cycles c JOIN cycle_templates t ON t.id = c.template_id
          WHERE c.state IN (${sqlWords(CYCLE_STATES_CLOSED)}) AND COALESCE(c.closed_at, c.published_at) IS NOT NULL AND t.retention_class <> 'permanent'`,
      );
    const upcomingUntil = fiscalYearEnd(fiscalYearOf(asOf) + 1);
    const listed: DisposalRow[] = rows
      .map((r) => ({
        cycleId: r.id,
        label: r.label,
        templateId: r.templateId,
        templateName: r.templateName,
        state: r.state,
        stateLabel: CYCLE_STATE_LABELS[r.state],
        closedOn: r.closedOn,
        retentionClass: r.retentionClass,
        retentionLabel: RETENTION_CLASS_LABELS[r.retentionClass],
        disposalDate: disposalDate(r.closedOn, r.retentionClass)!,
      }))
      .filter((r) => r.disposalDate <= upcomingUntil)
      .sort((a, b) => a.disposalDate.localeCompare(b.disposalDate) || a.cycleId - b.cycleId);
    return { asOf, due: listed.filter((r) => r.disposalDate <= asOf), upcoming: listed.filter((r) => r.disposalDate > asOf), upcomingUntil };
  }
}
