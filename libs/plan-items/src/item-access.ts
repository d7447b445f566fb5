import { canSeeAllSections, hasRole, type Actor } from '@app/domain';

/**
 * Who reads which plan items: planning, admin and evaluators see every item; section staff
 * and chiefs see the items their section is responsible for. Another section's item read
 * by id gives 403, not 404: item ids are not secret (they appear in reports and mails),
 * and a clear "no access" helps users more than a false "not found".
 */
export function seesAllItems(actor: Actor): boolean {
  return canSeeAllSections(actor) || hasRole(actor, 'evaluator');
}

export function canReadItem(actor: Actor, itemSectionIds: number[]): boolean {
  return seesAllItems(actor) || (actor.sectionId !== null && itemSectionIds.includes(actor.sectionId));
}
