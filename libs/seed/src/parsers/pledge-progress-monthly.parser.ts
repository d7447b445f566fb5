import { joinCjk, squeeze, splitSectionNames, stripHtml } from './text';

/** Marks of the monthly report: ☆ achieved, ○ on plan, △ behind, × not started / abandoned. */
export type ProgressMark = '☆' | '○' | '△' | '×';
export const PROGRESS_MARKS: readonly ProgressMark[] = ['☆', '○', '△', '×'];

/**
 * Report columns after the 区分 label: October..March of the report's fiscal year, then the
 * two halves of the next one. A value is placed by its offset from its row label, because
 * the rows of the file are shifted by one or more cells here and there.
 */
export const MONTHLY_COLUMNS = ['10', '11', '12', '1', '2', '3', '上半期', '下半期'] as const;
export type MonthlyColumn = (typeof MONTHLY_COLUMNS)[number];

export interface ColumnText {
  column: MonthlyColumn;
  text: string;
}

export interface ColumnMark {
  column: MonthlyColumn;
  mark: ProgressMark;
}

/** One responsible section's block of a pledge (a pledge may have several). */
export interface PledgeSectionRow {
  /** 1-based line of the file where the block starts. */
  line: number;
  /** The 所管課等 cell as printed, whitespace squeezed. */
  rawSection: string;
  /** Section names, split at '・' ('学校教育課・教育総務課' -> two names). */
  sectionNames: string[];
  /** Organisation printed before the section ('上下水道局 水道建設課' -> '上下水道局'). */
  departmentHint: string | null;
  /** 実施内容 (for pledge 34 the project named in brackets after the title when the cell is empty). */
  content: string;
  /** 目標期日, free text ('未定', 'R6.10', '年度ごとに達成度を確認'). */
  targetDateText: string;
  /** 年度目標 texts by column. */
  fiscalGoals: ColumnText[];
  /** Marks given against the 年度目標. */
  goalRatings: ColumnMark[];
  /** 計画(短期目標) texts by column (a text usually covers the quarter starting at its column). */
  shortTermPlans: ColumnText[];
  /** Marks given against the 計画(短期目標): the monthly ratings. */
  ratings: ColumnMark[];
  /** 進捗状況 text. */
  status: string;
}

export interface MonthlyPledge {
  number: number;
  /** 公約 as first printed. */
  title: string;
  rows: PledgeSectionRow[];
}

export interface PledgeProgressMonthly {
  /** First line of the file: '市長が掲げた重点政策No.1~45'. */
  title: string;
  /** Fiscal year of the October..March columns (令和5年度 -> 2023). */
  fiscalYear: number;
  pledges: MonthlyPledge[];
}

const PLAN_LABEL = /^計画\s*[(（]短期目標[)）]$/u;
const RATING_LABEL = /^(進捗\s*)?指標/u;
const STATUS_LABEL = /^(進捗\s*)?状況$/u;
const NOISE_LABELS = new Set(['進捗', '年度目標']);

function columnAt(offset: number): MonthlyColumn {
  return MONTHLY_COLUMNS[Math.min(Math.max(offset, 1), MONTHLY_COLUMNS.length) - 1];
}

function isMark(text: string): text is ProgressMark {
  return (PROGRESS_MARKS as readonly string[]).includes(text);
}

function isLabel(text: string): boolean {
  return PLAN_LABEL.test(text) || RATING_LABEL.test(text) || STATUS_LABEL.test(text) || NOISE_LABELS.has(text);
}

/** Title and the bracketed project some pledge-34 rows append to it ('… [松戸橋改築事業]'). */
function splitTitle(raw: string): { title: string; project: string } {
  const m = /^(.*?)\s*\[(.*?)\]?\s*$/u.exec(squeeze(raw));
  return m ? { title: joinCjk(m[1]), project: squeeze(m[2]) } : { title: joinCjk(raw), project: '' };
}

function parseSection(raw: string): { names: string[]; hint: string | null } {
  const text = squeeze(raw);
  const m = /^(\S+局)\s+(\S.*)$/u.exec(text);
  if (m) return { names: splitSectionNames(m[2]), hint: m[1] };
  return { names: splitSectionNames(text), hint: null };
}

/**
 * Parses pledge-progress-monthly.txt (tab-separated, exported from a spreadsheet): header
 * blocks repeat every few pledges, a pledge is split into one block per responsible section,
 * and labels drift between cells ('進捗 状況' in one cell or two, rows shifted right).
 * A block starts at a row holding the pledge number and a '年度目標' cell; the following
 * rows are classified by their label, wherever it sits.
 */
export function parsePledgeProgressMonthly(text: string): PledgeProgressMonthly {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const pledges = new Map<number, MonthlyPledge>();
  let title = '';
  let fiscalYear = 2023;
  let current: PledgeSectionRow | null = null;
  let seenPlan = false;

  lines.forEach((line, index) => {
    const cells = line.split('\t').map((c) => squeeze(c));
    const filled = cells.map((c, j) => ({ c, j })).filter((x) => x.c !== '');
    if (filled.length === 0) return;
    if (!title) title = filled[0].c;
    if (cells.includes('公約') && cells.some((c) => c.startsWith('所管課'))) {
      const era = cells.find((c) => /^令和\d+年度$/u.test(c));
      if (era) fiscalYear = 2018 + Number(/\d+/u.exec(era)![0]);
      return;
    }
    if (cells.includes('上半期') || (filled[0].c === '10' && filled[1]?.c === '11')) return;

    const goalAt = cells.indexOf('年度目標');
    const first = filled[0];
    if (goalAt > first.j && /^\d{1,2}$/u.test(first.c)) {
      const base = cells[goalAt - 1] === '進捗' ? goalAt - 2 : goalAt - 1;
      const { title: pledgeTitle, project } = splitTitle(base - 3 > first.j ? cells[base - 3] : '');
      const section = parseSection(cells[base]);
      current = {
        line: index + 1,
        rawSection: cells[base],
        sectionNames: section.names,
        departmentHint: section.hint,
        content: stripHtml(cells[base - 2]) || project,
        targetDateText: joinCjk(cells[base - 1]),
        fiscalGoals: [],
        goalRatings: [],
        shortTermPlans: [],
        ratings: [],
        status: '',
      };
      seenPlan = false;
      for (let j = goalAt + 1; j < cells.length; j++) {
        if (cells[j]) current.fiscalGoals.push({ column: columnAt(j - goalAt), text: stripHtml(cells[j]) });
      }
      const number = Number(first.c);
      const pledge = pledges.get(number) ?? { number, title: '', rows: [] };
      if (!pledge.title) pledge.title = pledgeTitle;
      pledge.rows.push(current);
      pledges.set(number, pledge);
      return;
    }
    if (!current) return;
    const row: PledgeSectionRow = current;

    const labels = filled.filter((x) => isLabel(x.c));
    const labelAt = labels.length ? labels[labels.length - 1].j : -1;
    const values = filled.filter((x) => x.j > labelAt && !isLabel(x.c));
    const kind = labels.some((x) => PLAN_LABEL.test(x.c)) ? 'plan' : labels.some((x) => RATING_LABEL.test(x.c)) ? 'rating' : 'status';
    for (const { c, j } of values) {
      const column = columnAt(j - labelAt);
      if (kind === 'plan') {
        row.shortTermPlans.push({ column, text: stripHtml(c) });
      } else if (isMark(c)) {
        (kind === 'rating' && !seenPlan ? row.goalRatings : row.ratings).push({ column, mark: c });
      } else {
        // Text in a rating row is the 進捗状況 whose label slipped to the next line (pledge 34).
        row.status = [row.status, stripHtml(c)].filter(Boolean).join('\n');
      }
    }
    if (kind === 'plan') seenPlan = true;
  });

  return {
    title,
    fiscalYear,
    pledges: [...pledges.values()].sort((a, b) => a.number - b.number),
  };
}
