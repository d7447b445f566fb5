/**
 * The accessibility statement's test record: what was checked, with which tool, and the
 * result. One list for the whole product: the public site's pages are checked by
 * test/public-site-browser.e2e-spec.ts, which visits every entry of area 'public' (its `path`
 * with the ids of its fixture) and requires 0 violations; the staff screens add theirs with
 * area 'staff' (their own browser suites). Update `checkedOn` when the results are re-run.
 */
export type CheckedArea = 'public' | 'staff';

export interface CheckedPage {
  area: CheckedArea;
  /** What a reader calls the page. */
  name: string;
  /** The address, with {placeholders} for ids ('/public/plans/{planId}'). */
  path: string;
  /** Page states checked beyond the first view ('エラー表示', 'タブ切替後'). */
  states?: string;
  /** axe-core violations found (0 is required by the tests). */
  violations: number;
}

export const ACCESSIBILITY_CHECK = {
  standard: 'JIS X 8341-3:2016',
  level: 'AA',
  /** WCAG 2.1 rule tags run (JIS X 8341-3:2016 AA corresponds to WCAG 2.0 AA; 2.1 is a superset). */
  ruleTags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
  tool: 'axe-core',
  /** The version the recorded run used; a unit test keeps it equal to the installed one. */
  toolVersion: '4.14.1',
  browser: 'Chromium (Debian)',
  /** ISO date of the recorded run. */
  checkedOn: '2026-12-01',
  pages: [
    { area: 'public', name: 'トップページ(公表済みの計画の一覧)', path: '/public', violations: 0 },
    { area: 'public', name: '計画の項目別・期間別の評価', path: '/public/plans/{planId}', violations: 0 },
    { area: 'public', name: '期間の公表内容(評価の集計と取組状況一覧)', path: '/public/cycles/{cycleId}', violations: 0 },
    { area: 'public', name: '項目の評価の推移・指標・取組状況', path: '/public/items/{itemId}', violations: 0 },
    { area: 'public', name: 'オープンデータ(データ項目の説明)', path: '/public/opendata', violations: 0 },
    { area: 'public', name: 'アクセシビリティ方針と試験結果', path: '/public/accessibility', violations: 0 },
    { area: 'public', name: 'ページが見つからない場合の表示', path: '/public/not-found', violations: 0 },
  ] as CheckedPage[],
};

export const AREA_LABELS: Record<CheckedArea, string> = { public: '公開サイト', staff: '職員用画面' };
