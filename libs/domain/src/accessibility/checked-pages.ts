/**
 * The pages and states the accessibility browser suites run axe-core over, requiring 0
 * violations of WCAG 2.1 A/AA (= JIS X 8341-3:2016 AA): the staff screens
 * (test/ui-accessibility.e2e-spec.ts walks exactly CHECKED_STAFF_PAGES and fails when the two
 * differ) and the public site (test/public-site-browser.e2e-spec.ts visits every
 * CHECKED_PUBLIC_PAGES entry). The public accessibility statement prints both as the record of
 * what was tested.
 */
export type CheckedArea = 'public' | 'staff';

export const CHECKED_AREA_LABELS: Record<CheckedArea, string> = { public: '公開サイト', staff: '職員用画面' };

export interface CheckedPageState {
  /** Stable key, used by the suite to find how to reach the state. */
  id: string;
  /** The screen, as its heading or menu names it. */
  page: string;
  /** The state of the screen that was checked. */
  state: string;
  /** The address (the staff UI's hash route, or the public path; parameters as :name). */
  path: string;
  /**
   * The browser suite that reaches this state, when it is not the walk of
   * test/ui-accessibility.e2e-spec.ts (a state that needs its feature's own set-up).
   */
  suite?: string;
}

/** The tool and rule set, and the last date the suite passed with this list (updated when it changes). */
export const ACCESSIBILITY_CHECK = {
  tool: 'axe-core',
  /** The standard and level the product targets, as the statement names them. */
  standardCode: 'JIS X 8341-3:2016',
  level: 'AA',
  /** The suite checks that the installed axe-core is this version. */
  toolVersion: '4.14.1',
  standard: 'JIS X 8341-3:2016 適合レベルAA(WCAG 2.1 レベルA・AA)',
  ruleTags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const,
  browser: 'Chromium',
  checkedOn: '2026-12-01',
  /** Every state below had this many violations on that date; the suite fails otherwise. */
  violations: 0,
} as const;

export const CHECKED_STAFF_PAGES: readonly CheckedPageState[] = [
  { id: 'login', page: 'ログイン', state: '未入力', path: '/login' },
  { id: 'login-error', page: 'ログイン', state: 'ログイン失敗のメッセージ表示', path: '/login' },
  { id: 'forced-password', page: 'パスワードの変更(初回)', state: '初期パスワードの変更を求める画面', path: '/' },
  { id: 'mine', page: '自課のエントリー', state: 'エントリーあり', path: '/mine' },
  { id: 'mine-empty', page: '自課のエントリー', state: 'エントリーなし', path: '/mine' },
  { id: 'inbox', page: '承認待ち', state: '承認待ちあり', path: '/inbox' },
  { id: 'inbox-empty', page: '承認待ち', state: '承認待ちなし', path: '/inbox' },
  { id: 'entry-draft', page: 'エントリー入力', state: '下書き(評価△で理由欄を表示)', path: '/entries/:id' },
  { id: 'entry-invalid', page: 'エントリー入力', state: '提出に失敗し入力エラーを表示', path: '/entries/:id' },
  { id: 'entry-returned', page: 'エントリー入力', state: '差戻し(コメントと項目ごとの指摘)', path: '/entries/:id' },
  { id: 'entry-readonly', page: 'エントリー', state: '提出済み(読み取り専用)', path: '/entries/:id' },
  { id: 'entry-review', page: 'エントリー', state: '承認者の確認(承認・差戻し)', path: '/entries/:id' },
  { id: 'entry-review-invalid', page: 'エントリー', state: '差戻しの理由が未入力のエラー', path: '/entries/:id' },
  { id: 'cycles', page: 'サイクル管理', state: '一覧と作成フォーム', path: '/cycles' },
  { id: 'cycle-completeness', page: 'サイクル', state: '提出状況タブ', path: '/cycles/:id' },
  { id: 'cycle-summary', page: 'サイクル', state: '集計タブ', path: '/cycles/:id' },
  { id: 'cycle-entries', page: 'サイクル', state: 'エントリー一覧タブ', path: '/cycles/:id' },
  { id: 'cycle-reminders', page: 'サイクル', state: 'リマインダータブ', path: '/cycles/:id' },
  { id: 'cycle-reminders-filtered', page: 'サイクル', state: 'リマインダータブ(送信記録を宛先・種類で絞り込み)', path: '/cycles/:id' },
  { id: 'cycle-confirm', page: 'サイクル', state: '締切の確認パネル', path: '/cycles/:id' },
  { id: 'matrix', page: '進捗一覧', state: '項目×期間の評価記号', path: '/matrix' },
  { id: 'plans', page: '計画・項目', state: '計画の一覧', path: '/plans' },
  { id: 'plan', page: '計画', state: '項目の一覧', path: '/plans/:id' },
  { id: 'item-edit', page: '項目の編集', state: '既存の項目', path: '/plans/:planId/items/:id' },
  { id: 'item-new', page: '項目の追加', state: '新規(入力エラー表示)', path: '/plans/:planId/items/new' },
  { id: 'templates', page: 'テンプレート', state: '一覧と作成', path: '/templates' },
  { id: 'template-invalid', page: 'テンプレート', state: '保存を断られ問題の一覧を表示', path: '/templates' },
  { id: 'template-editor', page: 'テンプレートの編集', state: '様式ビルダー', path: '/templates/:id' },
  { id: 'organisation', page: '組織', state: '部・課の一覧', path: '/organisation' },
  { id: 'users', page: '利用者', state: '一覧と登録フォーム', path: '/users' },
  { id: 'delegations', page: '代理設定', state: '一覧と登録フォーム', path: '/delegations' },
  { id: 'transfers', page: '人事異動・機構改革', state: 'ファイルの取込みと登録済みの一覧', path: '/transfers' },
  {
    id: 'org-reforms-scheduled',
    page: '人事異動・機構改革',
    state: '施行日を待つ機構改革の一覧(取消しボタン付き)',
    path: '/transfers',
    suite: 'ui-transfers',
  },
  { id: 'records', page: '文書管理', state: '廃棄対象と満了予定の記録', path: '/records' },
  { id: 'password', page: 'パスワード変更', state: 'フォームとログイン中の端末', path: '/password' },
  { id: 'password-invalid', page: 'パスワード変更', state: '入力エラー表示', path: '/password' },
  { id: 'notifications', page: '通知', state: 'お知らせの一覧とメールの受け取り方', path: '/notifications' },
  { id: 'notifications-list', page: '通知', state: '差戻しのお知らせ(未読)と通知ベル', path: '/notifications', suite: 'ui-notifications' },
  { id: 'cycle-reviewers', page: 'サイクル', state: '外部評価委員の割り当て', path: '/cycles/:id', suite: 'ui-external-review' },
  { id: 'external-review', page: '外部評価', state: '承認済みのエントリーと提言の入力', path: '/external-review', suite: 'ui-external-review' },
  { id: 'entry-recommendation', page: 'エントリー', state: '前回の提言と対応方針の入力', path: '/entries/:id', suite: 'ui-external-review' },
  { id: 'matrix-recommendation', page: 'マトリクス', state: '提言と対応方針の表示', path: '/matrix', suite: 'ui-external-review' },
  { id: 'templates-shared', page: 'テンプレート', state: '都道府県の共通テンプレートの一覧と採用', path: '/templates', suite: 'ui-prefecture' },
  {
    id: 'templates-distribute-confirm',
    page: 'テンプレートの編集',
    state: '市町村へ配布の確認(配布する内容の表示)',
    path: '/templates/:id',
    suite: 'ui-prefecture-publish',
  },
  { id: 'templates-distributed', page: 'テンプレート', state: '配布中の共通テンプレートの一覧', path: '/templates', suite: 'ui-prefecture-publish' },
  { id: 'prefecture-comparison', page: '市区町村の比較', state: '管内市区町村のエントリーの承認状況と評価の比較', path: '/prefecture', suite: 'ui-prefecture' },
  { id: 'tenant-settings', page: '団体設定', state: '団体の設定とロゴ(保存後)', path: '/settings', suite: 'ui-tenant-profile' },
  { id: 'login-tenant', page: 'ログイン', state: '複数団体の構成で団体コードの入力を断られた表示', path: '/login', suite: 'ui-tenant-profile' },
  { id: 'glossary', page: '用語集', state: '用語の一覧', path: '/glossary' },
  { id: 'not-found', page: 'ページが見つかりません', state: '存在しないページ', path: '/no-such-page' },
];

/** Every kind of public page; the suite fills :planId, :cycleId and :itemId from its fixture. */
export const CHECKED_PUBLIC_PAGES: readonly CheckedPageState[] = [
  { id: 'public-index', page: 'トップページ(公表済みの計画の一覧)', state: '表示直後', path: '/public' },
  { id: 'public-plan', page: '計画の項目別・期間別の評価', state: '表示直後', path: '/public/plans/:planId' },
  { id: 'public-cycle', page: '期間の公表内容(評価の集計と取組状況一覧)', state: '表示直後', path: '/public/cycles/:cycleId' },
  { id: 'public-item', page: '項目の評価の推移・指標・取組状況', state: '表示直後', path: '/public/items/:itemId' },
  { id: 'public-opendata', page: 'オープンデータ(データ項目の説明)', state: '表示直後', path: '/public/opendata' },
  { id: 'public-accessibility', page: 'アクセシビリティ方針と試験結果', state: '表示直後', path: '/public/accessibility' },
  { id: 'public-not-found', page: 'ページが見つからない場合の表示', state: '存在しないアドレス', path: '/public/not-found' },
];

/** One row of the statement's table of results: what was checked, with what, when, and what it found. */
export interface CheckedPageResult extends CheckedPageState {
  area: CheckedArea;
  tool: string;
  standard: string;
  checkedOn: string;
  violations: number;
}

/** The rows the public accessibility statement prints (試験結果: ページ・状態・ツール・日付・違反数). */
export function checkedPageResults(): CheckedPageResult[] {
  const tool = `${ACCESSIBILITY_CHECK.tool} ${ACCESSIBILITY_CHECK.toolVersion}(${ACCESSIBILITY_CHECK.browser})`;
  const rows = [...CHECKED_PUBLIC_PAGES.map((p) => ({ ...p, area: 'public' as const })), ...CHECKED_STAFF_PAGES.map((p) => ({ ...p, area: 'staff' as const }))];
  return rows.map((p) => ({
    ...p,
    tool,
    standard: ACCESSIBILITY_CHECK.standard,
    checkedOn: ACCESSIBILITY_CHECK.checkedOn,
    violations: ACCESSIBILITY_CHECK.violations,
  }));
}
