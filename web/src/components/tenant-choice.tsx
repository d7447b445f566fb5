import { useState, type FormEvent } from 'react';
import { api, ApiError, session } from '../api';
import { refreshSystemInfo, useSystemInfo } from '../system-info';
import { chooseTenant, TENANT_CODE_PATTERN, tenantCode } from '../tenant';

/**
 * The municipality to sign in to, in a multi-tenant installation (nothing in a single-city one):
 * the one the address or an earlier choice named, with 「団体を変更」, or a field for its
 * 全国地方公共団体コード. Whatever is chosen is sent as X-Tenant from then on.
 */
export function TenantChoice() {
  const info = useSystemInfo();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!info?.multiTenant) return null;
  const m = info.municipality;

  if (m)
    return (
      <div className="tenant-choice" aria-label="ログインする団体">
        <p>
          ログインする団体: <strong>{m.name}</strong>
          {m.code ? <span className="muted">（団体コード {m.code}）</span> : null}
        </p>
        <div className="button-row">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              chooseTenant(null, () => session.clear());
              void refreshSystemInfo();
            }}
          >
            団体を変更
          </button>
        </div>
      </div>
    );

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const wanted = code.trim();
    if (!TENANT_CODE_PATTERN.test(wanted)) return setError('団体コードは6桁の数字で入力してください（例: 112259）');
    setBusy(true);
    setError(null);
    const before = tenantCode();
    chooseTenant(wanted, () => session.clear());
    try {
      await api.get('/system-info');
      await refreshSystemInfo();
    } catch (err) {
      chooseTenant(before);
      setError(err instanceof ApiError && err.status === 404 ? `団体コード ${wanted} の団体はありません` : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="tenant-choice" onSubmit={onSubmit} noValidate aria-label="ログインする団体">
      <div className="field">
        <label htmlFor="tenant-code">団体コード（全国地方公共団体コード 6桁）</label>
        <p className="muted small">お知らせされたアドレス（…/?t=団体コード）から開くと入力は要りません。</p>
        <input
          id="tenant-code"
          inputMode="numeric"
          autoComplete="organization"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'tenant-code-error' : undefined}
        />
        {error ? (
          <p className="field-error" id="tenant-code-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn-small" disabled={busy}>
          この団体でログイン
        </button>
      </div>
    </form>
  );
}
