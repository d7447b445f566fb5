import type { EntryState, KpiActual, KpiDefinition } from '@app/domain';

/** One approval since the entry's last submission, from the audit log (entry.approve rows). */
export interface ApprovalMark {
  name: string | null;
  /** The principal a delegate approved for (代決), when the audit row names one. */
  onBehalfOfName: string | null;
  acting: boolean;
}

/**
 * One entry as the reports read it: the item, the section (named as at the end of the
 * period), the entry's own values (built-in columns and `values`), the item's KPIs and
 * attributes, the department's and section's values for the cycle, and who evaluated and
 * approved it. Plain data: the column model turns it into cells without any I/O.
 */
export interface ReportEntry {
  id: number;
  itemId: number;
  /** 外部評価: the previous cycle's 提言 on the item, this entry's 対応方針 to it, this cycle's 提言. */
  previousRecommendation?: string | null;
  recommendationResponse?: string | null;
  recommendation?: string | null;
  state: EntryState;
  number: number;
  subNumber: string;
  chapter: string | null;
  category: string | null;
  title: string;
  /** The item's content (内容), the section's own when it has one. */
  content: string | null;
  /** The item's target date as written (目標期日), the section's own when it has one. */
  targetDateText: string | null;
  sectionId: number;
  sectionName: string;
  departmentId: number;
  departmentName: string;
  /** The department head's name (部長名). */
  headName: string | null;
  /** The item's evaluator, or the department head who evaluates by default. */
  evaluatorName: string | null;
  rating: string | null;
  previousRating: string | null;
  progress: string | null;
  fiscalGoal: string | null;
  shortTermPlan: string | null;
  reason: string | null;
  nextSteps: string | null;
  kpiActuals: KpiActual[];
  values: Record<string, unknown>;
  kpis: KpiDefinition[];
  /** plan_items.attributes: key → value, or {"2024": value} for a per-year attribute. */
  attributes: Record<string, unknown>;
  departmentValues: Record<string, unknown>;
  sectionValues: Record<string, unknown>;
  approvals: ApprovalMark[];
  /** Ratings of the same item and section in earlier fiscal years of the template (sheets only). */
  ratingHistory: Record<string, string | null>;
  submittedAt: Date | null;
  acceptedAt: Date | null;
}
