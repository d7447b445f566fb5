import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorMessage } from './common';
import type { EntryActions } from '../types';

/**
 * 取下げ (the section takes a submission back before anyone approved it) and 再開 (planning
 * reopens an accepted or 未提出 entry, with a reason), offered when the API's action list says so.
 */
export function EntryLifecycle({
  entryId,
  version,
  actions,
  onDone,
}: {
  entryId: number;
  version: number;
  actions: EntryActions['actions'];
  onDone: (message: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canWithdraw = actions.includes('withdraw');
  const canReopen = actions.includes('reopen');
  if (!canWithdraw && !canReopen) return null;

  async function run(what: () => Promise<unknown>, message: string) {
    setBusy(true);
    setError(null);
    try {
      await what();
      await onDone(message);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const withdraw = () => {
    if (!window.confirm('提出を取り下げて下書きに戻します。よろしいですか?')) return;
    void run(() => api.post(`/entries/${entryId}/withdraw`, { version }), '提出を取り下げました。下書きに戻りました。');
  };
  const reopen = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setError('再開の理由を入力してください');
    void run(() => api.post(`/entries/${entryId}/reopen`, { version, reason: reason.trim() }), 'エントリーを再開しました。所管課に理由とともに戻しました。');
  };

  return (
    <section className="card" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">{canWithdraw ? '提出の取下げ' : 'エントリーの再開'}</h2>
      <ErrorMessage message={error} />
      {canWithdraw ? (
        <>
          <p className="small muted">まだ誰も承認していないため、提出を取り下げて修正できます。</p>
          <button type="button" className="btn" disabled={busy} onClick={withdraw}>
            取下げ
          </button>
        </>
      ) : (
        <form onSubmit={reopen} noValidate>
          <div className="field">
            <label htmlFor="reopen-reason">
              再開の理由<span className="required">必須</span>
            </label>
            <textarea id="reopen-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button type="submit" className="btn" disabled={busy}>
            再開
          </button>
        </form>
      )}
    </section>
  );
}
