import { DEFAULT_FORM, FormField } from '@app/domain';

export interface FieldComment {
  label: string;
  comment: string;
}

/**
 * An approver's per-field comments (entries.return_field_comments, by field key) under the
 * labels of the form the entry's cycle runs, in the form's order (the rating first when the
 * form does not place it). A key the form no longer has keeps the first version's label, or
 * its key, so no comment is ever dropped.
 */
export function fieldCommentsOf(fields: readonly FormField[], comments: Record<string, string> | null | undefined): FieldComment[] {
  if (!comments) return [];
  const keys = Object.keys(comments).filter((k) => typeof comments[k] === 'string' && comments[k].trim());
  const order = [...(fields.some((f) => f.key === 'rating') ? [] : ['rating']), ...fields.map((f) => f.key)];
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const label = (key: string) =>
    fields.find((f) => f.key === key)?.label ?? (key === 'rating' ? '評価' : (DEFAULT_FORM.find((f) => f.key === key)?.label ?? key));
  return keys.sort((a, b) => rank(a) - rank(b)).map((key) => ({ label: label(key), comment: comments[key].trim() }));
}
