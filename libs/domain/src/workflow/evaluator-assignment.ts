/**
 * Maker-checker for the evaluator of an item: nobody names themselves. A planning login that
 * could make itself the evaluator of any item could then approve its evaluator step (and, being
 * planning, the planning step too). Keeping an evaluator someone else named is fine.
 */
export function namesSelfAsEvaluator(actorId: number, evaluatorUserId: number | null | undefined, previousEvaluatorUserId: number | null | undefined): boolean {
  return evaluatorUserId === actorId && previousEvaluatorUserId !== actorId;
}

export const SELF_EVALUATOR_MESSAGE = '自分自身を評価者に指定することはできません（他の担当者に指定を依頼してください）';
