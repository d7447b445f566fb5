import { TransitionError } from '../errors';
import { allowedCycleActions, CYCLE_ACTIONS, CYCLE_STATE_LABELS, CYCLE_STATES, CYCLE_TRANSITIONS, cycleTransition } from './cycle-state';

describe('cycle transitions', () => {
  it('is exactly the documented table', () => {
    expect(CYCLE_TRANSITIONS.map((t) => `${t.from}-${t.action}->${t.to}${t.needsReason ? ' (reason)' : ''} ${t.label}`)).toEqual([
      'draft-open->open 開始',
      'open-close->closed 締切',
      'open-force_close->closed (reason) 強制締切',
      'closed-publish->published 公表',
      'closed-reopen->open (reason) 再開',
      'published-reopen->open (reason) 再開',
    ]);
  });

  it('every row is returned by cycleTransition', () => {
    for (const row of CYCLE_TRANSITIONS) expect(cycleTransition(row.from, row.action)).toBe(row);
  });

  it('every pair not in the table throws TransitionError with from/action', () => {
    let forbidden = 0;
    for (const from of CYCLE_STATES) {
      for (const action of CYCLE_ACTIONS) {
        if (CYCLE_TRANSITIONS.some((t) => t.from === from && t.action === action)) continue;
        forbidden++;
        try {
          cycleTransition(from, action);
          throw new Error(`${from} ${action} should be forbidden`);
        } catch (e) {
          expect(e).toBeInstanceOf(TransitionError);
          expect((e as TransitionError).from).toBe(from);
          expect((e as TransitionError).action).toBe(action);
          expect((e as TransitionError).message).toContain(CYCLE_STATE_LABELS[from]);
        }
      }
    }
    expect(forbidden).toBe(CYCLE_STATES.length * CYCLE_ACTIONS.length - CYCLE_TRANSITIONS.length);
  });

  it('samples of forbidden moves', () => {
    expect(() => cycleTransition('draft', 'publish')).toThrow(TransitionError);
    expect(() => cycleTransition('published', 'close')).toThrow(TransitionError);
    expect(() => cycleTransition('draft', 'reopen')).toThrow(TransitionError);
    expect(() => cycleTransition('open', 'open')).toThrow(TransitionError);
  });

  it('allowed actions per state', () => {
    expect(allowedCycleActions('draft')).toEqual(['open']);
    expect(allowedCycleActions('open')).toEqual(['close', 'force_close']);
    expect(allowedCycleActions('closed')).toEqual(['publish', 'reopen']);
    expect(allowedCycleActions('published')).toEqual(['reopen']);
  });

  it('labels every state', () => {
    for (const s of CYCLE_STATES) expect(CYCLE_STATE_LABELS[s]).toMatch(/\S/);
  });
});
