/**
 * 用語集: the one word each screen, mail and export uses for a concept, with the words it
 * replaced. Where two words were in use, one was chosen and the other is listed as rejected;
 * glossary.spec.ts fails when a rejected word appears in the web UI, the mail texts or the
 * exports. The staff UI's 用語集 page lists these terms.
 */
export interface RejectedSynonym {
  word: string;
  /** Where the word is fine because it is part of another word (報告書, 経営企画課). */
  allowedIn?: string;
  /** What matches the rejected use (the word, minus the allowed compounds). */
  pattern: RegExp;
  /**
   * Rejected only in what staff read (screens, mails, API messages): the public site and the
   * open data speak to citizens, for whom the city *reports* (報告・未報告・報告済み); エントリー is
   * the staff's word for the record behind it.
   */
  staffOnly?: boolean;
}

export interface GlossaryTerm {
  term: string;
  reading: string;
  definition: string;
  rejected: readonly RejectedSynonym[];
}

const HAN = '\\p{Script=Han}';

/** The chosen words, for code to use instead of writing them out (labels, headings, mails). */
export const TERMS = {
  entry: 'エントリー',
  submissionDeadline: '提出期限',
  reviewDeadline: '確認期限',
  planning: '企画担当',
  evaluator: '評価者',
  responsibleSection: '所管課',
  cycle: 'サイクル',
  returned: '差戻し',
  delegatedDecision: '代決',
  printedReport: '報告書',
} as const;

/** The words of what citizens read (the public site, open data, the published report): the city *reports*. */
export const PUBLIC_TERMS = {
  entry: '報告',
} as const;

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    term: TERMS.entry,
    reading: 'えんとりー',
    definition:
      '一つの計画項目について、所管課が一つのサイクル(期間)に入力して提出する記録。評価、進捗状況、指標の実績、理由などからなり、課長・評価者・企画担当の承認を経て確定する。',
    rejected: [
      {
        word: '報告',
        allowedIn: '報告書(サイクルの印刷用の書類)、公開サイトとオープンデータ(市民向けの「報告」「未報告」)',
        pattern: /報告(?!書)/u,
        staffOnly: true,
      },
    ],
  },
  {
    term: TERMS.submissionDeadline,
    reading: 'ていしゅつきげん',
    definition: '所管課がエントリーを提出する期限。期限の前・当日・後にリマインダーのメールが届く。',
    rejected: [],
  },
  {
    term: TERMS.reviewDeadline,
    reading: 'かくにんきげん',
    definition: '承認者(課長・評価者・企画担当)が、提出されたエントリーを承認するか差し戻すかを決める期限。',
    rejected: [
      { word: '審査期限', pattern: /審査期限/u },
      { word: '承認期限', pattern: /承認期限/u },
    ],
  },
  {
    term: TERMS.planning,
    reading: 'きかくたんとう',
    definition: 'サイクルを作成・開始・締切・公表し、計画・項目やテンプレートを管理する役割(経営企画課などの職員)。承認の最終段階を担うこともある。',
    rejected: [{ word: '企画課', allowedIn: '課の名称(経営企画課など)', pattern: new RegExp(`(?<!${HAN})企画課`, 'u') }],
  },
  {
    term: TERMS.evaluator,
    reading: 'ひょうかしゃ',
    definition: 'エントリーを評価・承認する職員。通常は部長または参事。',
    rejected: [],
  },
  {
    term: TERMS.responsibleSection,
    reading: 'しょかんか',
    definition: '計画項目を担当し、エントリーを入力・提出する課。一つの項目を複数の課が担当することがある。',
    rejected: [],
  },
  {
    term: TERMS.cycle,
    reading: 'さいくる',
    definition: 'テンプレートの一つの期間(例: 令和6年度 上半期)。作成 → 受付中 → 締切 → 公表の順に進み、再開することもできる。',
    rejected: [],
  },
  {
    term: TERMS.returned,
    reading: 'さしもどし',
    definition: '承認者が、理由と項目ごとの指摘を付けてエントリーを所管課に戻すこと。所管課は修正して再提出する。',
    rejected: [],
  },
  {
    term: TERMS.delegatedDecision,
    reading: 'だいけつ',
    definition: '承認者が不在のとき、あらかじめ指定された職員が代わりに承認・差戻しをすること。本人は後で内容を確認する(後閲)。',
    rejected: [],
  },
  {
    term: TERMS.printedReport,
    reading: 'ほうこくしょ',
    definition: 'サイクルの評価をまとめた印刷用の書類。サイクルの画面から開く。',
    rejected: [],
  },
];

/** Every rejected use found in a text, with the term to use instead. */
export function rejectedSynonymsIn(text: string, audience: 'staff' | 'public' = 'staff'): { word: string; use: string; index: number }[] {
  const found: { word: string; use: string; index: number }[] = [];
  for (const term of GLOSSARY) {
    for (const r of term.rejected) {
      if (r.staffOnly && audience === 'public') continue;
      const global = new RegExp(r.pattern.source, `${r.pattern.flags.replace('g', '')}g`);
      for (const m of text.matchAll(global)) found.push({ word: r.word, use: term.term, index: m.index ?? 0 });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
