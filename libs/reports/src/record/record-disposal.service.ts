import { Injectable } from '@nestjs/common';
import { CycleReads } from '@app/cycles';
import { CYCLE_STATE_LABELS, CycleState, disposalDate, fiscalYearEnd, fiscalYearOf, RETENTION_CLASS_LABELS, RetentionClass, tokyoToday } from '@app/domain';

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
  constructor(private readonly cycles: CycleReads) {}

  async list(asOf = tokyoToday()): Promise<DisposalList> {
    const rows = await this.cycles.closedWithDisposal();
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
