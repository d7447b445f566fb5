import { eraYearLabel, EXTERNAL_REVIEW_LABEL, FormField, RatingScale, RECOMMENDATION_LABEL, RECOMMENDATION_RESPONSE_LABEL } from '@app/domain';

/** Who reads the output: the planning division (with the workflow) or the public page. */
export type Audience = 'internal' | 'public';

export type Cell = string | number;

/** Which of the item's optional columns any entry of the cycle fills. */
export interface ItemPresence {
  chapter: boolean;
  category: boolean;
  content: boolean;
  targetDate: boolean;
  /** An entry of the cycle has a 外部評価 提言 (of this cycle or the previous one). */
  externalReview?: boolean;
}

/** Everything the column model is derived from: the cycle's form and what the cycle holds. */
export interface ColumnModelSpec {
  /** The form the cycle runs (cycles.rules, or the template's while the cycle is a draft). */
  fields: readonly FormField[];
  /** The plan's item attributes (plans.item_fields). */
  itemFields: readonly FormField[];
  scale: RatingScale;
  fiscalYear: number;
  /** The largest number of KPIs an item of the cycle has: the KPI table's slots. */
  kpiSlots: number;
  present: ItemPresence;
  audience: Audience;
}

export type ItemKey = 'number' | 'title' | 'chapter' | 'category' | 'content' | 'targetDate' | 'section';
export type WorkflowKey = 'evaluator' | 'approvers' | 'state' | 'submittedAt' | 'acceptedAt';
export type ExternalReviewKey = 'previousRecommendation' | 'response' | 'recommendation';

/**
 * One thing a report prints, in report order. A part is one column of the CSV and the XLSX,
 * except the KPI table, which spreads over four columns per KPI slot; the printable report
 * lays parts out as table cells (list) or labelled blocks (sheet).
 */
export type ReportPart =
  | { kind: 'item'; key: ItemKey; label: string }
  | { kind: 'attribute'; field: FormField; label: string }
  | { kind: 'rating'; field: FormField; label: string }
  | { kind: 'field'; field: FormField; label: string }
  | { kind: 'kpi'; field: FormField; label: string }
  | { kind: 'department'; field: FormField; label: string }
  | { kind: 'section'; field: FormField; label: string }
  | { kind: 'head'; label: string }
  | { kind: 'workflow'; key: WorkflowKey; label: string }
  | { kind: 'external'; key: ExternalReviewKey; label: string };

export interface ColumnHeader {
  header: string;
  width: number;
  part: ReportPart;
  /** For the KPI table's columns: which KPI (0-based) and which of its four values. */
  kpi?: { slot: number; value: KpiValueKey };
}

export type KpiValueKey = 'name' | 'target' | 'actual' | 'rate';

export interface ColumnModel {
  spec: ColumnModelSpec;
  parts: ReportPart[];
  columns: ColumnHeader[];
}

/** The rating when a form does not place it: the entry's rating column, always reported. */
export const DEFAULT_RATING_FIELD: FormField = { key: 'rating', label: '評価', type: 'rating', scope: 'entry' };

export const HEAD_LABEL = '部長名';

const ITEM_LABELS: Record<ItemKey, string> = {
  number: '番号',
  title: '項目',
  chapter: '章',
  category: '分類',
  content: '内容',
  targetDate: '目標期日',
  section: '所管課',
};

/** 外部評価 columns: the previous cycle's 提言 → this entry's 対応方針, then this cycle's 提言. */
const EXTERNAL_LABELS: Record<ExternalReviewKey, string> = {
  previousRecommendation: `前回の${EXTERNAL_REVIEW_LABEL}${RECOMMENDATION_LABEL}`,
  response: RECOMMENDATION_RESPONSE_LABEL,
  recommendation: `${EXTERNAL_REVIEW_LABEL}${RECOMMENDATION_LABEL}`,
};

const WORKFLOW_LABELS: Record<WorkflowKey, string> = {
  evaluator: '評価者',
  approvers: '承認者',
  state: '状態',
  submittedAt: '提出日',
  acceptedAt: '承認日',
};

/**
 * The report's parts, from the cycle's form: the item (番号, 項目, 章 and 分類 when any entry
 * has one, 内容 and 目標期日 likewise, 所管課), the plan's item attributes (a per-year one as
 * the cycle's fiscal year), then the form's fields in their order and with their labels (the
 * rating first when the form does not place it; 部長名 once, before the first department
 * field), then for the planning division the workflow: 評価者, 承認者, 状態, 提出日, 承認日.
 */
export function reportParts(spec: ColumnModelSpec): ReportPart[] {
  const parts: ReportPart[] = [];
  const item = (key: ItemKey) => parts.push({ kind: 'item', key, label: ITEM_LABELS[key] });
  item('number');
  item('title');
  if (spec.present.chapter) item('chapter');
  if (spec.present.category) item('category');
  if (spec.present.content) item('content');
  if (spec.present.targetDate) item('targetDate');
  item('section');
  for (const field of spec.itemFields) {
    parts.push({ kind: 'attribute', field, label: field.perYear ? `${field.label}(${eraYearLabel(spec.fiscalYear)})` : field.label });
  }
  if (!spec.fields.some((f) => f.type === 'rating')) parts.push({ kind: 'rating', field: DEFAULT_RATING_FIELD, label: DEFAULT_RATING_FIELD.label });
  let head = false;
  for (const field of spec.fields) {
    if (field.scope === 'item') continue;
    if (field.scope === 'department' && !head) {
      parts.push({ kind: 'head', label: HEAD_LABEL });
      head = true;
    }
    const kind =
      field.scope === 'department'
        ? 'department'
        : field.scope === 'section'
          ? 'section'
          : field.type === 'rating'
            ? 'rating'
            : field.type === 'kpi_table'
              ? 'kpi'
              : 'field';
    parts.push({ kind, field, label: field.label });
  }
  if (spec.audience === 'internal') {
    for (const key of Object.keys(WORKFLOW_LABELS) as WorkflowKey[]) parts.push({ kind: 'workflow', key, label: WORKFLOW_LABELS[key] });
    if (spec.present.externalReview) {
      for (const key of Object.keys(EXTERNAL_LABELS) as ExternalReviewKey[]) parts.push({ kind: 'external', key, label: EXTERNAL_LABELS[key] });
    }
  }
  return parts;
}

/** The parts and the flat columns of the CSV and the XLSX (the KPI table expanded per slot). */
export function columnModel(spec: ColumnModelSpec): ColumnModel {
  const parts = reportParts(spec);
  const columns: ColumnHeader[] = [];
  const year = eraYearLabel(spec.fiscalYear);
  for (const part of parts) {
    if (part.kind !== 'kpi') {
      columns.push({ header: part.label, width: widthOf(part), part });
      continue;
    }
    for (let slot = 0; slot < spec.kpiSlots; slot++) {
      const n = `指標${slot + 1}`;
      columns.push({ header: `${n} 名称`, width: 20, part, kpi: { slot, value: 'name' } });
      columns.push({ header: `${n} 目標(${year})`, width: 14, part, kpi: { slot, value: 'target' } });
      columns.push({ header: `${n} 実績`, width: 14, part, kpi: { slot, value: 'actual' } });
      columns.push({ header: `${n} 達成率`, width: 10, part, kpi: { slot, value: 'rate' } });
    }
  }
  return { spec, parts, columns };
}

/** Column width in the spreadsheet (characters), by what the column holds. */
function widthOf(part: ReportPart): number {
  switch (part.kind) {
    case 'item':
      return { number: 8, title: 40, chapter: 16, category: 16, content: 50, targetDate: 14, section: 16 }[part.key];
    case 'head':
      return 14;
    case 'workflow':
      return { evaluator: 14, approvers: 30, state: 8, submittedAt: 12, acceptedAt: 12 }[part.key];
    case 'rating':
      return 8;
    case 'external':
      return 40;
    default:
      return fieldWidth(part.field);
  }
}

function fieldWidth(field: FormField): number {
  switch (field.type) {
    case 'long_text':
      return field.scope === 'entry' ? 50 : 40;
    case 'short_text':
    case 'multi_choice':
      return 24;
    case 'single_choice':
    case 'date':
      return 16;
    default:
      return 12;
  }
}
