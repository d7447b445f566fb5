import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, session } from './api';
import type { Actor } from './types';

interface AuthState {
  actor: Actor | null;
  login: (login: string, password: string) => Promise<Actor>;
  /** Trades the one-time code of a single sign-on for the session's token. */
  loginWithSso: (code: string) => Promise<Actor>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [actor, setActor] = useState<Actor | null>(() => (session.token() ? session.actor() : null));
  const login = useCallback(async (login: string, password: string) => {
    const res = await api.post<{ accessToken: string; actor: Actor }>('/auth/login', { login, password });
    session.save(res.accessToken, res.actor);
    setActor(res.actor);
    return res.actor;
  }, []);
  const loginWithSso = useCallback(async (code: string) => {
    const res = await api.post<{ accessToken: string; actor: Actor }>('/auth/oidc/exchange', { code });
    session.save(res.accessToken, res.actor);
    setActor(res.actor);
    return res.actor;
  }, []);
  // Ends the session on the server too: the token stops working wherever a copy of it is.
  const logout = useCallback(async () => {
    await api.post('/auth/logout').catch(() => undefined);
    session.clear();
    setActor(null);
    location.hash = '/login';
  }, []);
  // Every tab shares the session: signing in or out in one is seen by the others.
  useEffect(() => session.onChange(() => setActor(session.token() ? session.actor() : null)), []);
  return <AuthContext.Provider value={{ actor, login, loginWithSso, logout }}>{children}</AuthContext.Provider>;
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
