import type { Actor } from './types';
import { tenantCode, tenantFromAddress } from './tenant';

const TOKEN_KEY = 'hyoka.token';
const ACTOR_KEY = 'hyoka.actor';
const MUST_CHANGE_KEY = 'hyoka.passwordChangeRequired';

/** Raised on window when the API refuses a call until the password is changed (403 password_change_required). */
export const PASSWORD_CHANGE_REQUIRED_EVENT = 'hyoka:password-change-required';

/**
 * The token lives in localStorage, shared by every tab of this browser, so a link from a
 * reminder mail opened in a new tab is already signed in. Safe enough now that the session
 * lives on the server: signing out ends it there (in every tab at once), the user and an
 * administrator can end a lost device's session, and it expires after JWT_EXPIRES_IN. Script
 * could read sessionStorage just as well, so XSS exposure is unchanged (the CSP allows only this
 * origin's scripts). A Bearer header, not a cookie, so there is no CSRF to defend against.
 */
export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  actor: (): Actor | null => {
    const raw = localStorage.getItem(ACTOR_KEY);
    return raw ? (JSON.parse(raw) as Actor) : null;
  },
  /** The password was set by an administrator: nothing but the change until it is changed. */
  passwordChangeRequired: (): boolean => localStorage.getItem(MUST_CHANGE_KEY) === '1',
  save(token: string, actor: Actor, passwordChangeRequired = false): void {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(ACTOR_KEY, JSON.stringify(actor));
    if (passwordChangeRequired) localStorage.setItem(MUST_CHANGE_KEY, '1');
    else localStorage.removeItem(MUST_CHANGE_KEY);
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(ACTOR_KEY);
    localStorage.removeItem(MUST_CHANGE_KEY);
  },
  /** Another tab signed in or out. */
  onChange(listener: () => void): () => void {
    const handler = (e: StorageEvent) => {
      if (e.key === TOKEN_KEY || e.key === MUST_CHANGE_KEY || e.key === null) listener();
    };
    window.addEventListener('storage', handler);
    return () => window.removeEventListener('storage', handler);
  },
};

// A municipality named in the address (/?t=<コード>) replaces the one remembered, and signs out of the other.
tenantFromAddress(() => session.clear());

/** An error answer of the API: its status, its Japanese message and the rest of its body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }

  /** Field-level messages of a 422 (validation of an entry) keyed by field. */
  fieldErrors(): Record<string, string> {
    const errors = this.body.errors as { field: string; message: string }[] | undefined;
    const out: Record<string, string> = {};
    for (const e of errors ?? []) out[e.field.replace(/\[.*$/, '')] ??= e.message;
    if (!errors && typeof this.body.field === 'string') out[this.body.field] = this.message;
    return out;
  }
}

/** Sends the user to the login page, remembering where they were going. */
export function redirectToLogin(): void {
  const here = location.hash.replace(/^#/, '') || '/';
  if (here.startsWith('/login')) return;
  location.hash = `/login?next=${encodeURIComponent(here)}`;
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = tenantCode();
  if (tenant) headers['X-Tenant'] = tenant;
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : isForm ? body : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'サーバーに接続できません。ネットワークを確認してください', {});
  }
  // A refused sign-in answers its own message; any other 401 means the session is over.
  if (res.status === 401 && !path.endsWith('/auth/login') && !path.endsWith('/auth/oidc/exchange')) {
    session.clear();
    redirectToLogin();
    throw new ApiError(401, 'ログインの有効期限が切れました。もう一度ログインしてください', {});
  }
  if (!res.ok) {
    const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 403 && data.error === 'password_change_required') window.dispatchEvent(new Event(PASSWORD_CHANGE_REQUIRED_EVENT));
    const raw = data.message;
    const message = Array.isArray(raw) ? raw.join(' / ') : typeof raw === 'string' ? raw : `エラーが発生しました (${res.status})`;
    throw new ApiError(res.status, message, data);
  }
  return res;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, `/api${path}`, body);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string) => json<T>('GET', path),
  post: <T>(path: string, body?: unknown) => json<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => json<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, body),
  delete: <T>(path: string) => json<T>('DELETE', path),
};

/** Uploads a file as multipart form data (field `file`, and any other fields), e.g. the item import. */
export async function upload<T>(path: string, file: File, fields: Record<string, string> = {}): Promise<T> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file);
  const res = await send('POST', `/api${path}`, form);
  return (await res.json()) as T;
}

/** RFC 5987 filename* first, then the plain filename, then the fallback. */
function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

/** Downloads an authenticated file (exports need the bearer token, so a plain link cannot). */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await send('GET', `/api${path}`);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filenameOf(res.headers.get('Content-Disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Opens an authenticated HTML page (the printable report) in a new tab. */
export async function openHtml(path: string): Promise<void> {
  const win = window.open('', '_blank');
  const res = await send('GET', `/api${path}`);
  const html = await res.text();
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (win) win.location.href = url;
  else location.href = url;
}
