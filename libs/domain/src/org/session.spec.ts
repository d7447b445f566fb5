import { SESSION_END_REASON_LABELS, SESSION_END_REASONS, sessionEndedMessage } from './session';

describe('sessions', () => {
  it('labels every end reason and tells the user, in Japanese, to sign in again or why not', () => {
    expect(Object.keys(SESSION_END_REASON_LABELS).sort()).toEqual([...SESSION_END_REASONS].sort());
    for (const reason of SESSION_END_REASONS) expect(sessionEndedMessage(reason)).toMatch(/ログイン/);
    expect(sessionEndedMessage('password_reset')).toBe(sessionEndedMessage('password_changed'));
    expect(sessionEndedMessage('logout')).toBe('ログアウト済みです。再度ログインしてください');
  });
});
