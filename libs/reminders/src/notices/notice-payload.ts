import type { CycleWorkAction } from '@app/domain';

/**
 * What a notice mail says. Most notices are composed when their event happens and kept on the
 * outbox row (TextNotice), so the mail says what was true then (a later edit does not rewrite
 * a 後閲 notice). Notices about work still to do (依頼, 承認依頼, the cycle's state) name their
 * cycle and are composed when sent, from what still waits then; nothing left → not sent.
 */
export type NoticePayload = TextNotice | CycleNotice | StuckNotice;

export interface TextNotice {
  type: 'acted_for' | 'delegation_request' | 'delegation_granted' | 'delegation_confirmed' | 'account_locked';
  subject: string;
  /** The first paragraph under the salutation. */
  lead: string;
  /** `url`: a link to the entry the line names. */
  lines: { label: string; value: string; url?: string }[];
  comment?: string | null;
  /** What the recipient is asked to do, if anything. */
  action?: string | null;
  /** The UI route the mail links to ('/entries/12'); the link is PUBLIC_URL + '/#' + path. */
  path?: string | null;
}

export interface CycleNotice {
  /** 依頼 at opening; 承認依頼 when entries reach the recipient's step; the cycle closed or reopened. */
  type: 'cycle_request' | 'review_request' | 'cycle_state';
  cycleId: number;
  action?: CycleWorkAction;
  reason?: string | null;
}

/**
 * To the planning division: entries that wait at a step nobody can hold (a vacant post, every
 * holder barred). `entries` are 'id-vVersion': each entry at each of its states is escalated once.
 */
export interface StuckNotice {
  type: 'stuck_entries';
  cycleId: number;
  entries: string[];
  /** Sent to the administrators: there was no active planning user (the mail says so). */
  toAdmins?: boolean;
}

export type NoticeType = NoticePayload['type'];

export function isTextNotice(p: NoticePayload): p is TextNotice {
  return 'subject' in p;
}
