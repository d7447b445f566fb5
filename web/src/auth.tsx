import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { api, session } from './api';
import type { Actor } from './types';

interface AuthState {
  actor: Actor | null;
  login: (login: string, password: string) => Promise<Actor>;
  logout: () => void;
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
  const logout = useCallback(() => {
    session.clear();
    setActor(null);
    location.hash = '/login';
  }, []);
  return <AuthContext.Provider value={{ actor, login, logout }}>{children}</AuthContext.Provider>;
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
