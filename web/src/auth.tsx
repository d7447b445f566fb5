import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, PASSWORD_CHANGE_REQUIRED_EVENT, session } from './api';
import type { Actor } from './types';

export interface LoginResult {
  actor: Actor;
  /** The password was set by an administrator (or the installer): it must be changed now. */
  passwordChangeRequired: boolean;
}

interface AuthState {
  actor: Actor | null;
  /** Signed in with a password someone else set: the UI offers only the change until it is done. */
  passwordChangeRequired: boolean;
  login: (login: string, password: string) => Promise<LoginResult>;
  /** Trades the one-time code of a single sign-on for the session's token. */
  loginWithSso: (code: string) => Promise<Actor>;
  /** The new token the change answered; lifts passwordChangeRequired. */
  passwordChanged: (token: string) => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [actor, setActor] = useState<Actor | null>(() => (session.token() ? session.actor() : null));
  const [passwordChangeRequired, setPasswordChangeRequired] = useState(() => session.passwordChangeRequired());
  const login = useCallback(async (login: string, password: string) => {
    const res = await api.post<{ accessToken: string; actor: Actor; passwordChangeRequired?: boolean }>('/auth/login', { login, password });
    const mustChange = res.passwordChangeRequired === true;
    session.save(res.accessToken, res.actor, mustChange);
    setPasswordChangeRequired(mustChange);
    setActor(res.actor);
    return { actor: res.actor, passwordChangeRequired: mustChange };
  }, []);
  const loginWithSso = useCallback(async (code: string) => {
    const res = await api.post<{ accessToken: string; actor: Actor }>('/auth/oidc/exchange', { code });
    session.save(res.accessToken, res.actor);
    setPasswordChangeRequired(false);
    setActor(res.actor);
    return res.actor;
  }, []);
  const passwordChanged = useCallback((token: string) => {
    const current = session.actor();
    if (current) session.save(token, current, false);
    setPasswordChangeRequired(false);
  }, []);
  // Ends the session on the server too: the token stops working wherever a copy of it is.
  const logout = useCallback(async () => {
    await api.post('/auth/logout').catch(() => undefined);
    session.clear();
    setActor(null);
    setPasswordChangeRequired(false);
    location.hash = '/login';
  }, []);
  // Every tab shares the session: signing in or out in one is seen by the others.
  useEffect(
    () =>
      session.onChange(() => {
        setActor(session.token() ? session.actor() : null);
        setPasswordChangeRequired(session.passwordChangeRequired());
      }),
    [],
  );
  // Another tab or an old session: the API's 403 says the change is still owed.
  useEffect(() => {
    const onRequired = () => {
      const token = session.token();
      const current = session.actor();
      if (token && current) session.save(token, current, true);
      setPasswordChangeRequired(true);
    };
    window.addEventListener(PASSWORD_CHANGE_REQUIRED_EVENT, onRequired);
    return () => window.removeEventListener(PASSWORD_CHANGE_REQUIRED_EVENT, onRequired);
  }, []);
  return <AuthContext.Provider value={{ actor, passwordChangeRequired, login, loginWithSso, passwordChanged, logout }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('AuthProvider missing');
  return ctx;
}

/** The signed-in user; pages under the shell are only rendered with one. */
export function useActor(): Actor {
  const { actor } = useAuth();
  if (!actor) throw new Error('not signed in');
  return actor;
}
