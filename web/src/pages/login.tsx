import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/common';
import { useFocusFirstInvalid } from '../focus-invalid';
import { navigate } from '../router';

import { DemoBadge, MunicipalityBrand, useSystemInfo } from '../system-info';
import { TenantChoice } from '../components/tenant-choice';
import { ForcedPasswordChange } from './password';
import { ssoStartHref } from '../tenant';

/** Only a page of this UI: never another site. */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/');

/**
 * Sign-in; afterwards back to the page that asked for it (a mail link, a 401 mid-work). With
 * single sign-on configured, also 「シングルサインオンでログイン」; the identity provider's way back
 * lands here with a one-time code (`sso`), exchanged for the session.
 */
export function LoginPage({ next, ssoCode }: { next: string | null; ssoCode?: string | null }) {
  const { login, loginWithSso } = useAuth();
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const invalid = useFocusFirstInvalid<HTMLFormElement>();
  useEffect(() => {
    document.title = 'ログイン | 評価サイクル';
  }, []);
  // Which of the two was wrong is not said (on purpose): both are marked, the first is focused.
  const marks = error ? { 'aria-invalid': true as const, 'aria-describedby': 'login-error' } : {};
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState(false);
  const exchanged = useRef(false);
  // A multi-tenant installation signs in to a municipality: chosen first (TenantChoice).
  const info = useSystemInfo();
  const noTenant = !!info?.multiTenant && !info.municipality;

  useEffect(() => {
    void api
      .get<{ enabled: boolean }>('/auth/oidc')
      .then((res) => setSso(res.enabled))
      .catch(() => setSso(false));
  }, []);

  useEffect(() => {
    // Once: the code is one-time, and React may run effects twice in development.
    if (!ssoCode || exchanged.current) return;
    exchanged.current = true;
    setBusy(true);
    loginWithSso(ssoCode)
      .then(() => navigate(safeNext(next)))
      .catch((err: Error) => {
        setError(err.message);
        setBusy(false);
      });
  }, [ssoCode, next, loginWithSso]);

  // Signed in with a password an administrator set: the change form comes at once.
  const [mustChange, setMustChange] = useState(false);
  const goOn = () => navigate(safeNext(next));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await login(loginId.trim(), password);
      if (result.passwordChangeRequired) setMustChange(true);
      else goOn();
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 401 || err.status === 400) ? 'ログインIDまたはパスワードが正しくありません' : (err as Error).message);
      invalid.request();
    } finally {
      setBusy(false);
    }
  }

  if (mustChange) return <ForcedPasswordChange knownCurrentPassword={password} onChanged={goOn} />;

  return (
    <main className="login-page">
      <div className="card login-card">
        <h1 id="login-title">
          <MunicipalityBrand />
          評価サイクル <DemoBadge />
        </h1>
        <TenantChoice />
        <form ref={invalid.ref} onSubmit={onSubmit} aria-labelledby="login-title">
          <p className="muted">進捗状況の入力・評価のためのシステムです。職員IDでログインしてください。</p>
          <ErrorMessage message={error} id="login-error" />
          <div className="field">
            <label htmlFor="login-id">ログインID</label>
            <input
              id="login-id"
              name="login"
              autoComplete="username"
              required
              {...marks}
              value={loginId}
              onChange={(e) => setLoginId(e.target.value)}
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">パスワード</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              {...marks}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || noTenant}>
            {busy ? 'ログイン中…' : 'ログイン'}
          </button>
          {sso ? (
            <a className="btn btn-block sso-login" href={ssoStartHref(next ? safeNext(next) : null)}>
              シングルサインオンでログイン
            </a>
          ) : null}
        </form>
      </div>
    </main>
  );
}
