import { DomainRuleError, TransitionError } from '../errors';
import {
  allowedEntryActions,
  entryActionsFor,
  ENTRY_ACTIONS,
  ENTRY_STATE_LABELS,
  ENTRY_STATES,
  ENTRY_TRANSITIONS,
  entryAfterApproval,
  entryTransition,
  isEditableByAuthor,
  entryHistoryLabel,
  systemSourceStates,
} from './entry-state';

describe('entry transitions', () => {
  it('is exactly the documented table', () => {
    expect(ENTRY_TRANSITIONS.map((t) => `${t.from}-${t.action}->${t.to} ${t.actor}${t.needsComment ? ' (comment)' : ''}`)).toEqual([
      'not_started-save->draft author',
      'draft-save->draft author',
      'returned-save->returned author',
      'not_started-submit->submitted author',
      'draft-submit->submitted author',
      'returned-submit->submitted author',
      'submitted-withdraw->draft author',
      'submitted-approve->by_route approver',
      'in_review-approve->by_route approver',
      'submitted-return->returned approver (comment)',
      'in_review-return->returned approver (comment)',
      'accepted-reopen->returned planning (comment)',
      'not_started-mark_not_submitted->not_submitted system',
      'draft-mark_not_submitted->not_submitted system',
      'returned-mark_not_submitted->not_submitted system',
      'not_submitted-reopen->draft planning',
      'submitted-mark_not_approved->not_approved system',
      'in_review-mark_not_approved->not_approved system',
      'not_approved-reopen->returned planning (comment)',
    ]);
    expect(systemSourceStates('mark_not_approved')).toEqual(['submitted', 'in_review']);
    expect(systemSourceStates('mark_not_submitted')).toEqual(['not_started', 'draft', 'returned']);
  });

  it('has unique (from, action) pairs and a label on each row', () => {
    const pairs = ENTRY_TRANSITIONS.map((t) => `${t.from}/${t.action}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const t of ENTRY_TRANSITIONS) expect(t.label).toMatch(/\S/);
  });

  it('every row is returned by entryTransition', () => {
    for (const row of ENTRY_TRANSITIONS) expect(entryTransition(row.from, row.action)).toBe(row);
  });

  it('every pair not in the table throws TransitionError', () => {
    for (const from of ENTRY_STATES) {
      for (const action of ENTRY_ACTIONS) {
        if (ENTRY_TRANSITIONS.some((t) => t.from === from && t.action === action)) continue;
        let error: unknown;
        try {
          entryTransition(from, action);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TransitionError);
        expect((error as TransitionError).from).toBe(from);
        expect((error as TransitionError).action).toBe(action);
        expect((error as Error).message).toContain(ENTRY_STATE_LABELS[from]);
      }
    }
  });

  it('samples of forbidden moves', () => {
    expect(() => entryTransition('in_review', 'withdraw')).toThrow(TransitionError); // after a first approval
    expect(() => entryTransition('accepted', 'save')).toThrow(TransitionError);
    expect(() => entryTransition('submitted', 'save')).toThrow(TransitionError);
    expect(() => entryTransition('not_started', 'approve')).toThrow(TransitionError);
    expect(() => entryTransition('accepted', 'approve')).toThrow(TransitionError);
    expect(() => entryTransition('not_submitted', 'submit')).toThrow(TransitionError);
    expect(() => entryTransition('submitted', 'mark_not_submitted')).toThrow(TransitionError);
  });

  it('allowed actions per state', () => {
    expect(allowedEntryActions('not_started')).toEqual(['save', 'submit', 'mark_not_submitted']);
    expect(allowedEntryActions('returned')).toEqual(['save', 'submit', 'mark_not_submitted']);
    expect(allowedEntryActions('submitted')).toEqual(['withdraw', 'approve', 'return', 'mark_not_approved']);
    expect(allowedEntryActions('in_review')).toEqual(['approve', 'return', 'mark_not_approved']);
    expect(allowedEntryActions('not_approved')).toEqual(['reopen']);
    expect(allowedEntryActions('accepted')).toEqual(['reopen']);
    expect(allowedEntryActions('not_submitted')).toEqual(['reopen']);
  });

  it('labels', () => {
    expect(ENTRY_STATES.map((s) => ENTRY_STATE_LABELS[s])).toEqual(['未着手', '下書き', '提出済', '審査中', '差戻し', '承認済', '未提出', '未承認']);
  });

  it('editable by the author only before submission or after a return', () => {
    expect(ENTRY_STATES.filter(isEditableByAuthor)).toEqual(['not_started', 'draft', 'returned']);
  });
});

describe('entryAfterApproval', () => {
  it('is in_review until the last step, then accepted', () => {
    expect(entryAfterApproval(0, 1)).toBe('accepted');
    expect(entryAfterApproval(0, 3)).toBe('in_review');
    expect(entryAfterApproval(1, 3)).toBe('in_review');
    expect(entryAfterApproval(2, 3)).toBe('accepted');
  });

  it('rejects impossible steps', () => {
    expect(() => entryAfterApproval(3, 3)).toThrow(DomainRuleError);
    expect(() => entryAfterApproval(-1, 3)).toThrow(DomainRuleError);
    expect(() => entryAfterApproval(0, 0)).toThrow(DomainRuleError);
  });
});

describe('entryActionsFor', () => {
  it('follows the actor column of the transition table', () => {
    expect(entryActionsFor('draft', { author: true })).toEqual(['save', 'submit']);
    expect(entryActionsFor('submitted', { author: true })).toEqual(['withdraw']);
    expect(entryActionsFor('submitted', { approver: true })).toEqual(['approve', 'return']);
    expect(entryActionsFor('in_review', { author: true })).toEqual([]);
    expect(entryActionsFor('accepted', { planning: true, author: true })).toEqual(['reopen']);
    // The system's forced close is nobody's button.
    expect(entryActionsFor('draft', { author: false, approver: true, planning: true })).toEqual([]);
  });
});

describe('entryHistoryLabel', () => {
  it('labels every action of the table, naming the step for approvers and 代決 for delegates', () => {
    for (const action of ENTRY_ACTIONS) expect(entryHistoryLabel(`entry.${action}`, null, false)).toMatch(/\S/);
    expect(entryHistoryLabel('entry.save', '所管課長', false)).toBe('修正');
    expect(entryHistoryLabel('entry.submit', null, false)).toBe('提出');
    expect(entryHistoryLabel('entry.approve', '所管課長', false)).toBe('承認（所管課長）');
    expect(entryHistoryLabel('entry.approve', '評価者', true)).toBe('承認（評価者・代決）');
    expect(entryHistoryLabel('entry.approve', '合議', false)).toBe('承認（合議）');
    expect(entryHistoryLabel('entry.return', '評価者', true)).toBe('差戻し（評価者・代決）');
    expect(entryHistoryLabel('entry.withdraw', null, false)).toBe('取下げ');
    expect(entryHistoryLabel('entry.reopen', '所管課長', false)).toBe('再開');
    expect(entryHistoryLabel('entry.mark_not_approved', '評価者', false)).toBe('未承認確定');
    expect(entryHistoryLabel('entry.mark_not_submitted', null, false)).toBe('未提出確定');
  });
});
