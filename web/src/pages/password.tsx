import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../../libs/domain/src/org/password-policy';
import { useState, type FormEvent } from 'react';
import { api, session } from '../api';
import { useActor } from '../auth';
import { ErrorMessage, Notice } from '../components/common';
import { SessionsPanel } from '../components/sessions-panel';

/**
 * The user's own page: change one's password (the server signs every other session out and
 * answers a new token for this one), and ログイン中の端末.
 */
export function PasswordPage() {
  const actor = useActor();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    // The API's own policy, checked here first so the message comes before the round trip.
    const problem = passwordProblem(next);
    if (problem) return setError(problem);
    if (next !== again) return setError('確認のため入力した新しいパスワードが一致しません');
    setBusy(true);
    try {
      const res = await api.post<{ accessToken: string }>('/auth/password', { currentPassword: current, newPassword: next });
      session.save(res.accessToken, actor);
      setCurrent('');
      setNext('');
      setAgain('');
      setNotice('パスワードを変更しました。ほかの端末やブラウザでは、もう一度ログインしてください。');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <div className="page-header">
        <h1>パスワードの変更</h1>
      </div>
      <section className="card">
        <Notice message={notice} kind="success" />
        <form className="grid-form" onSubmit={onSubmit} noValidate>
          <ErrorMessage message={error} />
          <div className="field">
            <label htmlFor="pw-current">現在のパスワード</label>
            <input id="pw-current" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="pw-new">新しいパスワード({PASSWORD_MIN_LENGTH}文字以上)</label>
            <input
              id="pw-new"
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_LENGTH}
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="pw-again">新しいパスワード(確認)</label>
            <input id="pw-again" type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              変更する
            </button>
          </div>
        </form>
      </section>
      <SessionsPanel key={notice ?? ''} />
    </>
  );
}
