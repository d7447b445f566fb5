/**
 * A notice mail's text, composed when its event happens and kept on the outbox row, so what
 * the mail says is what was true then (a later edit does not rewrite a 後閲 notice).
 */
export interface NoticePayload {
  /** What the notice is about, for the send log and tests ('acted_for', 'delegation_request', ...). */
  type: NoticeType;
  subject: string;
  /** The first paragraph under the salutation. */
  lead: string;
  lines: { label: string; value: string }[];
  comment?: string | null;
  /** What the recipient is asked to do, if anything. */
  action?: string | null;
  /** The UI route the mail links to ('/entries/12'); the link is PUBLIC_URL + '/#' + path. */
  path?: string | null;
}

export const NOTICE_TYPES = ['acted_for', 'delegation_request', 'delegation_granted', 'delegation_confirmed'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];
