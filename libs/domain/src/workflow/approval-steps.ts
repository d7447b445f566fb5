import { TERMS } from '../glossary/glossary';

/** Who acts at one step of an approval route. */
export const APPROVAL_STEP_KINDS = ['section_chief', 'evaluator', 'planning', 'co_approval'] as const;
export type ApprovalStepKind = (typeof APPROVAL_STEP_KINDS)[number];

/** The approver each kind of step names, as the route shows it by default. */
export const APPROVAL_STEP_KIND_LABELS: Record<ApprovalStepKind, string> = {
  section_chief: '所管課長',
  evaluator: TERMS.evaluator,
  planning: TERMS.planning,
  // Parallel approval at one step by several offices or people.
  co_approval: '合議',
};

/** 合議: whether every party must approve, or any one of them. */
export const CO_APPROVAL_RULES = ['all', 'any'] as const;
export type CoApprovalRule = (typeof CO_APPROVAL_RULES)[number];
export const CO_APPROVAL_RULE_LABELS: Record<CoApprovalRule, string> = {
  all: '全員の承認',
  any: 'いずれか一人の承認',
};

/** 合議: who the parties are. */
export const CO_APPROVAL_PARTIES = ['item_sections', 'named'] as const;
export type CoApprovalParties = (typeof CO_APPROVAL_PARTIES)[number];
export const CO_APPROVAL_PARTY_LABELS: Record<CoApprovalParties, string> = {
  // The other sections that report on the same item, each by its chief.
  item_sections: '項目を所管する他の課（各課長）',
  named: '指名した職員',
};

/** A 合議 step's definition: the rule, and the parties (named users when `parties` is 'named'). */
export interface CoApprovalDef {
  rule: CoApprovalRule;
  parties: CoApprovalParties;
  userIds?: number[];
}

export interface ApprovalStepDef {
  kind: ApprovalStepKind;
  label: string;
  /** Only on a co_approval step. */
  co?: CoApprovalDef;
}

/** The usual route: the section's chief, the evaluator (department head or 参事), planning. */
export const DEFAULT_APPROVAL_ROUTE: ApprovalStepDef[] = (['section_chief', 'evaluator', 'planning'] as const).map((kind) => ({
  kind,
  label: APPROVAL_STEP_KIND_LABELS[kind],
}));

/** A new template's route: the section chief, then the evaluator (planning's own step and 合議 are added when wanted). */
export const NEW_TEMPLATE_ROUTE_KINDS: readonly ApprovalStepKind[] = ['section_chief', 'evaluator'];

/** The most people a 合議 step may name. */
export const MAX_CO_APPROVERS = 10;

/** What is wrong with a route's 合議 definitions, as { field, message }; null when fine. */
export function approvalRouteProblem(route: readonly ApprovalStepDef[]): { field: string; message: string } | null {
  for (const [i, step] of route.entries()) {
    const field = `approvalRoute.${i}.co`;
    if (step.kind !== 'co_approval') {
      if (step.co) return { field, message: `${i + 1}段階目は合議ではないため、合議の設定は指定できません` };
      continue;
    }
    if (!step.co) return { field, message: `${i + 1}段階目(合議)には合議の方法(rule)と相手(parties)が必要です` };
    if (!CO_APPROVAL_RULES.includes(step.co.rule)) return { field: `${field}.rule`, message: 'rule は all(全員) か any(いずれか一人) です' };
    if (!CO_APPROVAL_PARTIES.includes(step.co.parties)) return { field: `${field}.parties`, message: 'parties は item_sections か named です' };
    const ids = step.co.userIds ?? [];
    if (step.co.parties === 'named') {
      if (ids.length < 1 || ids.length > MAX_CO_APPROVERS) {
        return { field: `${field}.userIds`, message: `合議の相手を1〜${MAX_CO_APPROVERS}人指名してください` };
      }
      if (new Set(ids).size !== ids.length) return { field: `${field}.userIds`, message: '合議の相手が重複しています' };
    } else if (ids.length) {
      return { field: `${field}.userIds`, message: '項目を所管する課との合議では職員を指名しません' };
    }
  }
  return null;
}

/** 「合議（2/3 承認済）」: where a 合議 step stands. */
export function coProgressText(label: string, approved: number, required: number, rule: CoApprovalRule): string {
  return rule === 'any' ? `${label}（いずれか一人・${approved}/${required} 承認済）` : `${label}（${approved}/${required} 承認済）`;
}

/**
 * Who takes over the evaluator's step when the evaluator may not act on an entry (they wrote
 * it, or, with segregation of duties, approved an earlier step of it), in the template's order.
 */
export const FALLBACK_APPROVER_KINDS = ['department_head', 'planning'] as const;
export type FallbackApproverKind = (typeof FALLBACK_APPROVER_KINDS)[number];
export const FALLBACK_APPROVER_LABELS: Record<FallbackApproverKind, string> = {
  department_head: '部長',
  planning: '企画担当',
};

/**
 * 外部評価 (行政評価委員会): after the internal route accepts an entry, assigned outside reviewers
 * write a recommendation (提言) per item; the section answers it (対応方針) in the next cycle.
 */
export const EXTERNAL_REVIEW_LABEL = '外部評価';
export const RECOMMENDATION_LABEL = '提言';
export const RECOMMENDATION_RESPONSE_LABEL = '対応方針';

export interface ExternalReviewOptions {
  /** The template's cycles go to outside review once accepted. */
  enabled: boolean;
  /** The next cycle's entry cannot be submitted without its 対応方針 to the previous 提言. */
  responseRequired: boolean;
}

/** A template's rules for its route as a whole. */
export interface ApprovalOptions {
  /** 職務分掌: one person approves at most one step of an entry (as themselves or as 代決). */
  segregation: boolean;
  /** Who the evaluator's step falls to, in order; always ends with someone who can act (planning). */
  fallbackApprovers: FallbackApproverKind[];
  /** The outside review stage after acceptance (off unless the template turns it on). */
  externalReview?: ExternalReviewOptions;
}

export const DEFAULT_APPROVAL_OPTIONS: ApprovalOptions = Object.freeze({
  segregation: true,
  fallbackApprovers: ['department_head', 'planning'] as FallbackApproverKind[],
}) as ApprovalOptions;

/** Stored options in today's shape (templates and cycles saved before the options have none). */
export function readApprovalOptions(raw: unknown): ApprovalOptions {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Partial<ApprovalOptions>;
  return {
    segregation: typeof o.segregation === 'boolean' ? o.segregation : DEFAULT_APPROVAL_OPTIONS.segregation,
    fallbackApprovers: Array.isArray(o.fallbackApprovers) && o.fallbackApprovers.length ? o.fallbackApprovers : [...DEFAULT_APPROVAL_OPTIONS.fallbackApprovers],
    externalReview: { enabled: o.externalReview?.enabled === true, responseRequired: o.externalReview?.responseRequired === true },
  };
}

/**
 * What is wrong with the options, as { field, message } (null when they are fine). The chain
 * must reach planning so that a step never waits for someone who can never act.
 */
export function approvalOptionsProblem(o: ApprovalOptions): { field: string; message: string } | null {
  const chain = o.fallbackApprovers;
  const field = 'approvalOptions.fallbackApprovers';
  if (chain.some((k) => !FALLBACK_APPROVER_KINDS.includes(k))) {
    return { field, message: `代わりの承認者は ${FALLBACK_APPROVER_KINDS.map((k) => `${FALLBACK_APPROVER_LABELS[k]}(${k})`).join('、')} から選んでください` };
  }
  if (new Set(chain).size !== chain.length) return { field, message: '代わりの承認者が重複しています' };
  if (!chain.includes('planning')) return { field, message: '代わりの承認者の最後には企画担当を含めてください（承認者のいない段階を作らないため）' };
  return null;
}

/** 「部長 → 企画担当」: the chain as the template editor and the route show it. */
/** The fallback chains a template may name, in the editor's order (each reaches planning, so no step waits for nobody). */
export const FALLBACK_CHAIN_CHOICES: readonly (readonly FallbackApproverKind[])[] = [FALLBACK_APPROVER_KINDS, ['planning']];

export function fallbackChainText(chain: readonly FallbackApproverKind[]): string {
  return chain.map((k) => FALLBACK_APPROVER_LABELS[k]).join(' → ');
}

/** Why a step of an entry's route was passed: its only holder wrote the entry. */
export function stepPassedNote(stepLabel: string): string {
  return `${stepLabel}の承認は作成者本人のため省略`;
}
