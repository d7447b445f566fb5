import { SESSION_METHOD_LABELS } from '../../../libs/domain/src/org/session';
import { api } from '../api';
import { formatDateTime } from '../format';
import type { SessionRow } from '../types';
import { useAction } from '../use-action';
import { useLoad } from '../use-load';
import { ErrorMessage, Loading, Notice } from './common';

/** A readable name for a browser's User-Agent: 「Chrome(Windows)」, or the raw text. */
export function describeAgent(agent: string | null): string {
  if (!agent) return '不明な端末';
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : null;
  const os = /iPhone/.test(agent)
    ? 'iPhone'
    : /iPad/.test(agent)
      ? 'iPad'
      : /Android/.test(agent)
        ? 'Android'
        : /Windows/.test(agent)
          ? 'Windows'
          : /Mac OS X/.test(agent)
            ? 'Mac'
            : /Linux/.test(agent)
              ? 'Linux'
              : null;
  return browser ? `${browser}${os ? `(${os})` : ''}` : agent.slice(0, 60);
}

/**
 * ログイン中の端末: the user's live sessions, this one marked; one or every other can be
 * signed out (the server ends them, so a lost or shared PC's sign-in stops at once).
 */
export function SessionsPanel() {
  const sessions = useLoad(() => api.get<SessionRow[]>('/auth/sessions'), []);
  const { notice, error, run } = useAction(() => sessions.reload());
  // This device first, then the others newest first (as the api lists them).
  const rows = sessions.data ? [...sessions.data].sort((a, b) => Number(b.current) - Number(a.current)) : null;
  const others = (rows ?? []).filter((s) => !s.current);
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">ログイン中の端末</h2>
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error ?? sessions.error} />
      {!rows ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table className="table session-list">
            <thead>
              <tr>
                <th scope="col">端末</th>
                <th scope="col">接続元</th>
                <th scope="col">ログイン方法</th>
                <th scope="col">ログイン日時</th>
                <th scope="col">最終利用</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} className={s.current ? 'current-session' : undefined} data-session-id={s.id}>
                  <td title={s.userAgent ?? undefined}>
                    {describeAgent(s.userAgent)}
                    {s.current ? '(この端末)' : ''}
                  </td>
                  <td>{s.clientAddress ?? '—'}</td>
                  <td>{SESSION_METHOD_LABELS[s.method]}</td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>{formatDateTime(s.lastSeenAt)}</td>
                  <td>
                    {s.current ? null : (
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={`${describeAgent(s.userAgent)}(${formatDateTime(s.createdAt)}から)の端末をログアウト`}
                        onClick={() =>
                          void run(async () => {
                            await api.delete(`/auth/sessions/${s.id}`);
                            return 'その端末をログアウトしました。';
                          })
                        }
                      >
                        ログアウト
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="btn"
          disabled={others.length === 0}
          onClick={() =>
            void run(async () => {
              const res = await api.post<{ ended: number }>('/auth/sessions/end-others');
              return `この端末以外の${res.ended}件の端末をログアウトしました。`;
            })
          }
        >
          この端末以外をログアウト
        </button>
      </div>
    </section>
  );
}
