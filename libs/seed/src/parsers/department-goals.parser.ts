import { joinCjk, squeeze, stripHtml } from './text';

/** Results of the department heads' goals: goal3 scale, plus 一部達成 printed once. */
export const GOAL_RESULTS = ['達成', '着手', '未達成', '一部達成'] as const;
export type GoalResult = (typeof GOAL_RESULTS)[number];

export interface DepartmentGoal {
  /** The goal's number as printed, or its position where the list is not numbered. */
  number: number;
  title: string;
  /** The last result word printed ('着手 達成' gives 達成). */
  result: GoalResult;
  /** Every result word as printed, when there is more than one ('着手 達成'). */
  resultText: string;
}

export interface DepartmentGoals {
  /** '政策経営部' */
  name: string;
  /** '神山 尚' as printed (kanji). */
  headName: string;
  /** 'かみやま たかし' */
  headReading: string;
  /** 基本方針: a slogan; its printed lines joined with a space. */
  basicPolicy: string;
  /** 部の仕事; paragraphs on lines of their own. */
  work: string;
  /** 総括; paragraphs on lines of their own. */
  summary: string;
  /** The sections 部の仕事 names ('…は、企画政策課、公共施設再編課、…の5課で構成'). */
  sections: string[];
  /** The count it prints ('の5課'), to check the list against. */
  sectionCount: number | null;
  goals: DepartmentGoal[];
}

export interface DepartmentGoalsReport {
  /** 令和6年度 -> 2024 */
  fiscalYear: number;
  departments: DepartmentGoals[];
}

type Part = 'goals' | 'basicPolicy' | 'work' | 'summary';
const LABELS: Record<string, Part> = { 目標: 'goals', 基本方針: 'basicPolicy', 部の仕事: 'work', 総括: 'summary' };
const HEAD = /^(\S+?部)長(?:\s+(.*))?$/u;
const READING = /^[\u3041-\u309f\u30fc\s]+$/u;
const GOAL = /(?:^|\s)(?:(\d{1,2})\s+)?(\S.*?[！!])\s+((?:一部達成|未達成|達成|着手)(?:\s+(?:一部達成|未達成|達成|着手))*)(?=\s|$)/gu;

/** The text pieces of a line in reading order: cells, then paragraphs; Markdown marks removed. */
function piecesOf(line: string): string[] {
  return line
    .split('\t')
    .flatMap((cell) => cell.split(/<\/?(?:p|li)\b[^>]*>|<br\s*\/?>/iu))
    .map((p) => squeeze(stripHtml(p).replace(/\*\*/gu, '').replace(/^-\s+/u, '')))
    .filter(Boolean);
}

/**
 * Parses department-goals-results.txt, a poster per department laid out three ways (a table
 * with the goals in one <ol> cell, labels inside <p> cells, and plain lines with Markdown
 * bold). The file is read as a stream of text pieces: a 「…部長」 piece starts a department,
 * the labels 目標・基本方針・部の仕事・総括 switch where the pieces go, and the goals are split
 * from the 目標 text at their result words.
 */
export function parseDepartmentGoals(text: string): DepartmentGoalsReport {
  const report: DepartmentGoalsReport = { fiscalYear: 0, departments: [] };
  const parts = new Map<DepartmentGoals, Record<Part, string[]>>();
  let current: DepartmentGoals | null = null;
  let part: Part | null = null;
  let head: 'reading' | 'name' | null = null;

  for (const piece of text
    .replace(/^\uFEFF/u, '')
    .split(/\r?\n/u)
    .flatMap(piecesOf)) {
    const era = /^令和(\d+)年度\s*部長目標/u.exec(piece);
    if (era) {
      report.fiscalYear = 2018 + Number(era[1]);
      continue;
    }
    const squashed = piece.replace(/\s/gu, '');
    const m = HEAD.exec(piece);
    if (m && !piece.includes('、')) {
      current = { name: joinCjk(m[1]), headName: '', headReading: '', basicPolicy: '', work: '', summary: '', sections: [], sectionCount: null, goals: [] };
      report.departments.push(current);
      parts.set(current, { goals: [], basicPolicy: [], work: [], summary: [] });
      part = null;
      head = 'reading';
      if (m[2]) {
        const words = m[2].split(/\s+/u);
        const first = words.findIndex((w) => !READING.test(w));
        const reading = words.slice(0, first < 0 ? words.length : first);
        current.headReading = reading.join(' ');
        current.headName = words.slice(reading.length).join(' ');
        head = null;
      }
      continue;
    }
    if (!current) continue;
    if (head === 'reading' && READING.test(piece)) {
      current.headReading = piece;
      head = 'name';
      continue;
    }
    if (head) {
      current.headName = piece;
      head = null;
      continue;
    }
    if (squashed in LABELS) {
      part = LABELS[squashed];
      continue;
    }
    // The department's name printed as a heading before its head ('政 策 経 営 部').
    if (/^[^、。！!]{1,12}部$/u.test(squashed)) continue;
    if (part) parts.get(current)![part].push(piece);
  }

  for (const [d, p] of parts) {
    d.basicPolicy = p.basicPolicy.join(' ');
    d.work = p.work.join('\n');
    d.summary = p.summary.join('\n');
    const listed = /は、(.+?)の(\d+)課/u.exec(d.work);
    if (listed) {
      d.sections = listed[1].split('、').map((s) => joinCjk(s));
      d.sectionCount = Number(listed[2]);
    }
    for (const g of p.goals.join(' ').matchAll(GOAL)) {
      const words = g[3].split(/\s+/u) as GoalResult[];
      d.goals.push({
        number: g[1] ? Number(g[1]) : d.goals.length + 1,
        title: squeeze(g[2]),
        result: words[words.length - 1],
        resultText: words.length > 1 ? words.join(' ') : '',
      });
    }
  }
  return report;
}
