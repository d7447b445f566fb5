import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../../libs/domain/src/org/password-policy';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useAuth } from '../auth';
import { ErrorMessage, Notice } from '../components/common';
import { SessionsPanel } from '../components/sessions-panel';
import { useFocusFirstInvalid } from '../focus-invalid';

/**
 * The change itself: the server signs every other session out and answers a new token.
 * `knownCurrentPassword`: just typed at sign-in (the forced change), so not asked again.
 */
export function ChangePasswordForm({ knownCurrentPassword, onChanged }: { knownCurrentPassword?: string; onChanged: () => void }) {
  const { passwordChanged } = useAuth();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Which input the message is about, so it is marked, described and focused.
  const [bad, setBad] = useState<'current' | 'next' | 'again' | null>(null);
  const invalid = useFocusFirstInvalid<HTMLFormElement>();
  const fail = (message: string, field: 'current' | 'next' | 'again' | null) => {
    setError(message);
    setBad(field);
    invalid.request();
  };
  const marks = (field: 'current' | 'next' | 'again') => (bad === field ? { 'aria-invalid': true as const, 'aria-describedby': 'pw-error' } : {});

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBad(null);
    // The API's own policy, checked here first so the message comes before the round trip.
    const problem = passwordProblem(next);
    if (problem) return fail(problem, 'next');
    if (next !== again) return fail('確認のため入力した新しいパスワードが一致しません', 'again');
    setBusy(true);
    try {
      const res = await api.post<{ accessToken: string }>('/auth/password', { currentPassword: knownCurrentPassword ?? current, newPassword: next });
      passwordChanged(res.accessToken);
      setCurrent('');
      setNext('');
      setAgain('');
      onChanged();
    } catch (err) {
      const field = (err as { body?: { field?: string } }).body?.field;
      fail((err as Error).message, field === 'currentPassword' && knownCurrentPassword === undefined ? 'current' : field === 'newPassword' ? 'next' : null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={invalid.ref} className="grid-form" onSubmit={onSubmit} noValidate aria-label="パスワードの変更">
      <ErrorMessage message={error} id="pw-error" />
      {knownCurrentPassword === undefined && (
        <div className="field">
          <label htmlFor="pw-current">現在のパスワード</label>
          <input
            id="pw-current"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            {...marks('current')}
          />
        </div>
      )}
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
          {...marks('next')}
          autoFocus={knownCurrentPassword !== undefined}
        />
      </div>
      <div className="field">
        <label htmlFor="pw-again">新しいパスワード(確認)</label>
        <input
          id="pw-again"
          type="password"
          autoComplete="new-password"
          required
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          {...marks('again')}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          変更する
        </button>
      </div>
    </form>
  );
}

/** The user's own page: change one's password (the server signs every other session out), and ログイン中の端末. */
export function PasswordPage() {
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <div className="page-header">
        <h1>パスワードの変更</h1>
      </div>
      <section className="card">
        <Notice message={notice} kind="success" />
        <ChangePasswordForm onChanged={() => setNotice('パスワードを変更しました。ほかの端末やブラウザでは、もう一度ログインしてください。')} />
      </section>
      <SessionsPanel key={notice ?? ''} />
    </>
  );
}

/**
 * Signed in with a password an administrator set: the only thing on the screen until it is
 * changed (the API refuses everything else with 403). Shown at once after such a sign-in,
 * and again on reload while the change is owed.
 */
export function ForcedPasswordChange({ knownCurrentPassword, onChanged }: { knownCurrentPassword?: string; onChanged: () => void }) {
  const { logout } = useAuth();
  useEffect(() => {
    document.title = 'パスワードの変更が必要です | 評価サイクル';
  }, []);
  return (
    <main className="login-page">
      <section className="card login-card" aria-labelledby="forced-title">
        <h1 id="forced-title">パスワードの変更が必要です</h1>
        <Notice
          kind="warning"
          message="このパスワードは管理者が設定したものです。ご自身だけが知っている新しいパスワードに変更してから、利用を始めてください。"
        />
        <ChangePasswordForm knownCurrentPassword={knownCurrentPassword} onChanged={onChanged} />
        <p>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void logout()}>
            ログアウト
          </button>
        </p>
      </section>
    </main>
  );
}
