import { joinCjk, squeeze, stripHtml } from './text';

/** A 完了, B 実施中, C 着手, D 未着手. */
export type StatusRating = 'A' | 'B' | 'C' | 'D';
export const STATUS_RATINGS: readonly StatusRating[] = ['A', 'B', 'C', 'D'];

export interface StatusSubItem {
  /** '①', '②', … */
  subNumber: string;
  title: string;
  /** 内容 */
  content: string;
  /** 取組状況 (HTML stripped) */
  status: string;
  rating: StatusRating | null;
  line: number;
}

export interface StatusItem {
  number: number;
  /** The bracketed field: '【デジタル】' -> 'デジタル'. */
  category: string;
  title: string;
  subItems: StatusSubItem[];
}

export interface StatusChapter {
  number: number;
  /** '第1章 デジタル未来都市' */
  label: string;
  title: string;
  items: StatusItem[];
}

export interface PledgeStatusReport {
  /** '市長公約（政策宣言）進捗状況一覧表【令和5年9月末現在】' */
  title: string;
  chapters: StatusChapter[];
  /** The summary table at the end of the file (評価 / 公約数). */
  summary: Record<StatusRating, number>;
}

const CHAPTER = /^第(\d+)章\s*(.+)$/u;
const ITEM = /^(\d+)\s*[:：]\s*【(.+?)】\s*(.+)$/u;
const SUB_ITEM = /^([\u2460-\u2473])\s*(.*)$/u;
const RATING = /^([ABCD])(\s|$)/u;

/** Parses pledge-status-abcd.txt: chapters, items '1:【デジタル】 …', sub-items ①② with a rating. */
export function parsePledgeStatusAbcd(text: string): PledgeStatusReport {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const report: PledgeStatusReport = { title: '', chapters: [], summary: { A: 0, B: 0, C: 0, D: 0 } };
  let chapter: StatusChapter | null = null;
  let item: StatusItem | null = null;
  let inSummary = false;

  lines.forEach((line, index) => {
    const cells = line.split('\t').map((c) => c.trim());
    const first = squeeze(cells[0]);
    if (cells.every((c) => c === '')) return;
    if (!report.title) {
      report.title = first;
      return;
    }
    if (first === '評価' && squeeze(cells[1]) === '公約数') {
      inSummary = true;
      return;
    }
    if (inSummary) {
      const m = RATING.exec(first);
      if (m) report.summary[m[1] as StatusRating] = Number(squeeze(cells[1]));
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = CHAPTER.exec(first))) {
      chapter = { number: Number(m[1]), label: first, title: joinCjk(m[2]), items: [] };
      report.chapters.push(chapter);
      item = null;
    } else if ((m = ITEM.exec(first)) && chapter) {
      item = { number: Number(m[1]), category: joinCjk(m[2]), title: joinCjk(m[3]), subItems: [] };
      chapter.items.push(item);
    } else if ((m = SUB_ITEM.exec(first)) && item) {
      const rating = RATING.exec(squeeze(cells[3]));
      item.subItems.push({
        subNumber: m[1],
        title: joinCjk(m[2]),
        content: stripHtml(cells[1]),
        status: stripHtml(cells[2]),
        rating: rating ? (rating[1] as StatusRating) : null,
        line: index + 1,
      });
    }
  });
  return report;
}

/** Count of sub-items per rating, as the rows say. */
export function countRatings(report: PledgeStatusReport): Record<StatusRating, number> {
  const counts: Record<StatusRating, number> = { A: 0, B: 0, C: 0, D: 0 };
  for (const c of report.chapters) for (const i of c.items) for (const s of i.subItems) if (s.rating) counts[s.rating]++;
  return counts;
}
