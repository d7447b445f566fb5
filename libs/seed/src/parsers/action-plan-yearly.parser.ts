import { joinCjk, squeeze, stripHtml } from './text';

/** 実施状況 of the action plan: ◎ 完了, ○ 実施中, △ 未着手, × 中止. */
export type ActionMark = '◎' | '○' | '△' | '×';
export const ACTION_MARKS: readonly ActionMark[] = ['◎', '○', '△', '×'];

/** A responsible section as printed: '情報管理課（令和4年度より情報政策課）' gives a rename. */
export interface ActionSectionRef {
  /** The name printed first ('情報管理課'). */
  name: string;
  /** The name it took later ('情報政策課'), null without a rename. */
  renamedTo: string | null;
  /** Fiscal year from which the later name holds (令和4年度 -> 2022). */
  renamedFrom: number | null;
}

/** One row of the 年次計画 table with its 実施状況 marks; a program may have several. */
export interface YearlyPlanRow {
  /** The row's own heading where the sheet gives one ('保育人材', '総合体育館'), else ''. */
  label: string;
  /** Plan text by fiscal year as printed: '→' (as the year before) kept, '—' and blanks left out. */
  plans: Record<number, string>;
  /** Marks by fiscal year; years printed '—' or blank are left out. */
  marks: Partial<Record<number, ActionMark>>;
  line: number;
}

export interface ActionProgram {
  /** Order in the report, 1-based (the report prints no numbers). */
  number: number;
  /** 事業名 as printed on the sheet. */
  title: string;
  /** '① 自治の基本原則に基づく地域と行政との新たな関係性構築' */
  chapter: string;
  /** '①ーア 自治基本条例に基づく自治の推進' */
  category: string;
  /** Named 担当課 in their printed order. */
  sections: ActionSectionRef[];
  /** The 担当課 cell also says 各課 (every section). */
  allSections: boolean;
  /** 課題・目的 */
  purpose: string;
  /** 取組事項 */
  actions: string;
  rows: YearlyPlanRow[];
  /** 目標に対する1年間の取組状況、課題及び今後の予定 (as of the report's year). */
  progress: string;
  /** 未着手・中止の理由 */
  reason: string;
  line: number;
}

/** A row of the table of contents (目次). */
export interface ContentsRow {
  title: string;
  sections: string;
  page: number;
}

export interface ActionPlanReport {
  /** '第六次武蔵野市行財政改革アクションプラン' */
  title: string;
  /** The fiscal years of the plan (令和3～6年度 -> 2021..2024). */
  years: number[];
  /** The fiscal year the statuses are given for (取組状況 (令和5年度末時点) -> 2023). */
  asOf: number;
  contents: ContentsRow[];
  programs: ActionProgram[];
  /** Lines that carried something but could not be placed, with why. */
  skipped: { line: number; text: string; why: string }[];
}

type TextField = 'purpose' | 'actions' | 'progress' | 'reason';

const PROGRESS_LABEL = '目標に対する1年間の取組状況、課題及び今後の予定';
const TEXT_LABELS: Record<string, TextField> = {
  '課題・目的': 'purpose',
  取組事項: 'actions',
  '未着手・中止の理由': 'reason',
};
const ERA_YEAR = /^令和\s*(\d+)\s*年度$/u;
const CHAPTER = /^([\u2460-\u2473])\s+(?![ー\-－])(.+)$/u;
const CATEGORY = /^([\u2460-\u2473])\s*[ー\-－]\s*([ア-ン])\s*(.+)$/u;
const RENAME = /^(.+?)[（(]\s*令和\s*(\d+)\s*年度より\s*(.+?)\s*[)）]$/u;
const NO_VALUE = new Set(['', '—', '―', '-', '－']);

const eraToYear = (era: number) => 2018 + era;

/** A text cell with its paragraphs (<p>…</p>) on lines of their own. */
export function paragraphText(cell: string | undefined): string {
  return (cell ?? '')
    .split(/<\/?p\b[^>]*>|<br\s*\/?>/iu)
    .map((p) => stripHtml(p))
    .filter(Boolean)
    .join('\n');
}

/** A label cell without tags and spaces: '<p>未着手・中止 の理由</p>' -> '未着手・中止の理由'. */
function labelOf(cell: string | undefined): string {
  return stripHtml(cell).replace(/\s/gu, '');
}

function isFooter(label: string, line: string): boolean {
  return label.startsWith('※「実施状況」') || line.includes('実施状況については、進捗度合い') || label.startsWith('完了：◎');
}

function isMark(text: string): text is ActionMark {
  return (ACTION_MARKS as readonly string[]).includes(text);
}

/** Splits a 担当課 cell at '、' (not at '・': 多文化共生・交流課 is one name) and reads renames. */
export function parseActionSections(cell: string): { sections: ActionSectionRef[]; allSections: boolean } {
  const sections: ActionSectionRef[] = [];
  let allSections = false;
  for (const part of stripHtml(cell).split(/[、,，]/u)) {
    const text = joinCjk(part).replace(/\s/gu, '');
    if (!text) continue;
    if (text === '各課') {
      allSections = true;
      continue;
    }
    const m = RENAME.exec(text);
    sections.push(m ? { name: m[1], renamedTo: m[3], renamedFrom: eraToYear(Number(m[2])) } : { name: text, renamedTo: null, renamedFrom: null });
  }
  return { sections, allSections };
}

/**
 * Parses action-plan-yearly.txt, the action plan's yearly status report (one sheet per
 * program, extracted from PDF as tab-separated text). Sheets are cut by page footers (the
 * 実施状況 legend) anywhere, labels are split across lines ('…取組状況、課' / '題及び今後の予定')
 * or wrapped in <p>, the 年次計画 header row is printed before or on the label line and may be
 * shifted by a column that names the row ('保育人材'). Cells are placed by the column of their
 * year in the header; what cannot be placed is listed in `skipped`, never guessed.
 */
export function parseActionPlanYearly(text: string): ActionPlanReport {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const report: ActionPlanReport = { title: '', years: [], asOf: 0, contents: [], programs: [], skipped: [] };
  let chapter = '';
  let category = '';
  let program: ActionProgram | null = null;
  let field: TextField | null = null;
  /** Column index -> fiscal year of the last 年次計画 header. */
  let header: Map<number, number> | null = null;
  let awaitingPlan = false;
  let inContents = false;

  const skip = (index: number, line: string, why: string) => report.skipped.push({ line: index + 1, text: squeeze(line).slice(0, 80), why });
  // A text cut by a page break goes on where it stopped, on a new line only after a sentence.
  const append = (f: TextField, value: string) => {
    if (!program || !value) return;
    const before = program[f];
    program[f] = !before ? value : /[。．！？」）)]$/u.test(before) ? `${before}\n${value}` : `${before}${value}`;
  };

  lines.forEach((line, index) => {
    const cells = line.split('\t');
    const texts = (from: { j: number }[]) => from.map((x) => paragraphText(cells[x.j])).join('\n');
    const filled = cells.map((c, j) => ({ c: stripHtml(c), j })).filter((x) => x.c !== '');
    if (filled.length === 0) return;
    const label = labelOf(cells[0]);
    if (isFooter(label, line)) return;

    if (!report.title) {
      report.title = joinCjk(filled[0].c);
      return;
    }
    if (!report.years.length) {
      const m = /令和\s*(\d+)\s*[～~〜-]\s*(\d+)\s*年度/u.exec(line);
      if (m) {
        const [from, to] = [eraToYear(Number(m[1])), eraToYear(Number(m[2]))];
        report.years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      }
    }
    const asOf = /取組状況\s*[（(]\s*令和\s*(\d+)\s*年度末時点/u.exec(line);
    if (asOf) {
      report.asOf = eraToYear(Number(asOf[1]));
      return;
    }
    if (/実施事業一覧/u.test(label)) {
      inContents = true;
      return;
    }

    let m: RegExpExecArray | null;
    if (label === '事業名') {
      inContents = false;
      program = {
        number: report.programs.length + 1,
        title: joinCjk(
          filled
            .slice(1)
            .map((x) => x.c)
            .join(' '),
        ),
        chapter,
        category,
        sections: [],
        allSections: false,
        purpose: '',
        actions: '',
        rows: [],
        progress: '',
        reason: '',
        line: index + 1,
      };
      report.programs.push(program);
      field = null;
      header = null;
      awaitingPlan = false;
      return;
    }
    if ((m = CATEGORY.exec(squeeze(cells[0])))) {
      category = `${m[1]}ー${m[2]} ${squeeze(m[3])}`;
      field = null;
      return;
    }
    if ((m = CHAPTER.exec(squeeze(cells[0])))) {
      chapter = `${m[1]} ${squeeze(m[2])}`;
      field = null;
      return;
    }
    if (inContents) {
      const page = Number(squeeze(cells[3]));
      if (label === '' && filled.length === 3 && Number.isInteger(page) && page > 0) {
        report.contents.push({ title: joinCjk(cells[1]), sections: squeeze(cells[2]), page });
      } else if (label === '' && filled.length === 1 && report.contents.length && filled[0].j === 2) {
        // A 担当課 cell wrapped onto the next line of the contents table.
        const last = report.contents[report.contents.length - 1];
        last.sections = squeeze(`${last.sections}${filled[0].c}`);
      }
      return;
    }
    if (!program) return;

    const years = cells.map((c, j) => ({ m: ERA_YEAR.exec(squeeze(c)), j })).filter((x) => x.m);
    if (years.length >= 2 && (label === '' || label === '年次計画')) {
      header = new Map(years.map((x) => [x.j, eraToYear(Number(x.m![1]))]));
      awaitingPlan = true;
      field = null;
      return;
    }
    if (label === '担当課') {
      const { sections, allSections } = parseActionSections(
        filled
          .slice(1)
          .map((x) => x.c)
          .join('、'),
      );
      program.sections = sections;
      program.allSections = allSections;
      field = null;
      return;
    }
    if (label === '実施状況') {
      const row = program.rows[program.rows.length - 1];
      if (!row || !header || Object.keys(row.marks).length) {
        skip(index, line, '実施状況の前に年次計画の行がありません');
        return;
      }
      for (const [j, year] of header) {
        const cell = squeeze(cells[j]);
        if (isMark(cell)) row.marks[year] = cell;
        else if (!NO_VALUE.has(cell)) skip(index, line, `実施状況「${cell}」は記号ではありません`);
      }
      field = null;
      return;
    }
    if (label.startsWith('目標に対する')) {
      field = 'progress';
      append(field, texts(filled.slice(1)));
      return;
    }
    if (label in TEXT_LABELS) {
      field = TEXT_LABELS[label];
      append(field, texts(filled.slice(1)));
      return;
    }
    if (awaitingPlan && header && (label === '' || label === '年次計画')) {
      const first = Math.min(...header.keys());
      const row: YearlyPlanRow = { label: '', plans: {}, marks: {}, line: index + 1 };
      row.label = joinCjk(
        filled
          .filter((x) => x.j > 0 && x.j < first)
          .map((x) => x.c)
          .join(' '),
      );
      for (const [j, year] of header) {
        const cell = stripHtml(cells[j]);
        if (!NO_VALUE.has(cell)) row.plans[year] = cell;
      }
      program.rows.push(row);
      awaitingPlan = false;
      return;
    }
    if (field === 'progress' && label !== '' && PROGRESS_LABEL.endsWith(label)) {
      // The rest of a label split across lines: '題及び今後の予定', 'の予定'.
      append(field, texts(filled.slice(1)));
      return;
    }
    if (label === '' && field) {
      // Text wrapped onto the next line, often after a page footer.
      append(field, texts(filled));
      return;
    }
    skip(index, line, '欄を特定できません');
  });
  return report;
}

/**
 * A row's plan with '→' read as "as the year before": each year's own text, for the years
 * the sheet gives one (a '→' with nothing before it is left out).
 */
export function resolvedPlans(row: YearlyPlanRow): Record<number, string> {
  const out: Record<number, string> = {};
  const years = Object.keys(row.plans).map(Number);
  if (years.length === 0) return out;
  for (let year = Math.min(...years); year <= Math.max(...years); year++) {
    const text = row.plans[year];
    if (text === undefined) continue;
    const resolved = /^[→➡]+$/u.test(text) ? out[year - 1] : text;
    if (resolved) out[year] = resolved;
  }
  return out;
}
