import type { Rule } from './form-rule';

/** The kinds of field a form can hold; the web's builder offers exactly these. */
export const FIELD_TYPES = ['short_text', 'long_text', 'number', 'money', 'date', 'single_choice', 'multi_choice', 'yes_no', 'rating', 'kpi_table'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  short_text: '短い文字列',
  long_text: '長い文章',
  number: '数値',
  money: '金額(千円)',
  date: '日付',
  single_choice: '単一選択',
  multi_choice: '複数選択',
  yes_no: 'はい・いいえ',
  rating: '評価',
  kpi_table: '指標(KPI)表',
};

/**
 * Whose value a field holds. `entry`: one per item and section per cycle. `department` and
 * `section`: entered once per cycle and shown with every entry of that department or section
 * (基本方針, 総括). `item`: an attribute of the plan item (budget, FTE, legal basis), edited on
 * the item and shown read-only in the form.
 */
export const FIELD_SCOPES = ['entry', 'department', 'section', 'item'] as const;
export type FieldScope = (typeof FIELD_SCOPES)[number];

export const FIELD_SCOPE_LABELS: Record<FieldScope, string> = {
  entry: '項目ごと(所管課が入力)',
  department: '部ごと(サイクルに1回)',
  section: '課ごと(サイクルに1回)',
  item: '項目の属性(読み取り専用)',
};

/** Scopes a template's form may define; item attributes belong to the plan. */
export const FORM_SCOPES: readonly FieldScope[] = ['entry', 'department', 'section'];

export interface FieldOption {
  value: string;
  label: string;
}

export interface FormField {
  /** Identifier used in the API, the export and the rules; ASCII, unique in the form. */
  key: string;
  label: string;
  help?: string;
  type: FieldType;
  scope: FieldScope;
  /** single_choice and multi_choice. */
  options?: FieldOption[];
  /** multi_choice: at most this many (SDGs: 3). */
  maxSelections?: number;
  /** short_text and long_text, in characters. */
  maxLength?: number;
  /** number and money. */
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  /** item scope: one value per fiscal year (budget per year, 年次計画). */
  perYear?: boolean;
  /** When the value must be given at submit; absent = never. */
  required?: Rule;
  /** When the field is shown (and its value kept); absent = always. */
  visible?: Rule;
}

/** Types kept in a built-in column only (rating, kpiActuals): never a form's own field. */
export const BUILTIN_ONLY_FIELD_TYPES: readonly FieldType[] = ['rating', 'kpi_table'];

/** How the printable report lays the form out: one A4 sheet per item, or one table. */
export const FORM_LAYOUTS = ['list', 'sheet'] as const;
export type FormLayout = (typeof FORM_LAYOUTS)[number];
export const FORM_LAYOUT_LABELS: Record<FormLayout, string> = {
  list: '一覧表(A–D一覧など)',
  sheet: '1項目1枚のシート(事務事業評価など)',
};

/**
 * The entry keys kept in their own columns since the first version; every other entry key
 * lives in the entry's `values`. The rating is always the entry's rating column.
 */
export const BUILTIN_ENTRY_KEYS = ['rating', 'progress', 'fiscalGoal', 'shortTermPlan', 'kpiActuals', 'reason', 'nextSteps'] as const;
export type BuiltinEntryKey = (typeof BUILTIN_ENTRY_KEYS)[number];

export function isBuiltinEntryKey(key: string): key is BuiltinEntryKey {
  return (BUILTIN_ENTRY_KEYS as readonly string[]).includes(key);
}

/** The type a built-in key always has. */
export const BUILTIN_KEY_TYPES: Record<BuiltinEntryKey, FieldType> = {
  rating: 'rating',
  progress: 'long_text',
  fiscalGoal: 'long_text',
  shortTermPlan: 'long_text',
  kpiActuals: 'kpi_table',
  reason: 'long_text',
  nextSteps: 'long_text',
};

export const FIELD_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
export const DEFAULT_TEXT_MAX_LENGTH = 4000;
export const MAX_FORM_FIELDS = 60;
export const MAX_FIELD_OPTIONS = 50;

/** SDGs goals 1-17, offered by the builder as a ready option list. */
export const SDGS_OPTIONS: FieldOption[] = [
  '貧困をなくそう',
  '飢餓をゼロに',
  'すべての人に健康と福祉を',
  '質の高い教育をみんなに',
  'ジェンダー平等を実現しよう',
  '安全な水とトイレを世界中に',
  'エネルギーをみんなにそしてクリーンに',
  '働きがいも経済成長も',
  '産業と技術革新の基盤をつくろう',
  '人や国の不平等をなくそう',
  '住み続けられるまちづくりを',
  'つくる責任つかう責任',
  '気候変動に具体的な対策を',
  '海の豊かさを守ろう',
  '陸の豊かさも守ろう',
  '平和と公正をすべての人に',
  'パートナーシップで目標を達成しよう',
].map((label, i) => ({ value: String(i + 1), label: `${i + 1} ${label}` }));

/** 事業の方向性, offered by the builder as a ready option list. */
export const DIRECTION_OPTIONS: FieldOption[] = ['拡充', '継続', '改善', '縮小', '休止', '廃止'].map((v) => ({ value: v, label: v }));
