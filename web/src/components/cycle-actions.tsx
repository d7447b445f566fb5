import { useState, type FormEvent } from 'react';
import { api } from '../api';
// Labels and which actions need a reason come from the domain's transition table; which actions
// are possible now comes from the API (cycle.allowedActions). The UI adds no rules of its own.
import { CYCLE_ACTION_LABELS, CYCLE_TRANSITIONS } from '../../../libs/domain/src/workflow/cycle-state';
import type { Cycle, CycleAction } from '../types';
import { useFocusFirstInvalid } from '../focus-invalid';
import { itemNumber } from '../format';
import { ErrorMessage } from './common';

/** An entry a forced close left 未承認 (the close's result). */
interface NotApprovedEntry {
  entryId: number;
  itemNumber: number;
  itemSubNumber: string;
  itemTitle: string;
  sectionName: string;
  stepLabel: string | null;
}

const EXPLAIN: Partial<Record<CycleAction, string>> = {
  open: '各課のエントリーを作成し、入力を受け付けます。',
  close: 'すべてのエントリーが承認済みのときに締め切ります。',
  force_close: '未提出のエントリーは「未提出」、承認の途中のエントリーは「未承認」として締め切ります。',
  publish: '承認済みの内容を公開ページに掲載します。',
  reopen: '入力・承認を再び受け付けます。',
};

function needsReason(cycle: Cycle, action: CycleAction): boolean {
  return CYCLE_TRANSITIONS.some((t) => t.from === cycle.state && t.action === action && t.needsReason);
}

export function CycleActions({ cycle, onDone }: { cycle: Cycle; onDone: (message: string) => Promise<void> }) {
  const [pending, setPending] = useState<CycleAction | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const invalid = useFocusFirstInvalid<HTMLFormElement>();

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!pending) return;
    const withReason = needsReason(cycle, pending);
    if (withReason && !reason.trim()) {
      setError('理由を入力してください');
      invalid.request();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{
        createdEntries?: number;
        markedNotSubmitted?: number;
        markedNotApproved?: number;
        notApproved?: NotApprovedEntry[];
        notes?: string[];
      }>(`/cycles/${cycle.id}/actions`, {
        action: pending,
        reason: withReason ? reason.trim() : undefined,
      });
      const label = CYCLE_ACTION_LABELS[pending];
      const extra =
        res.createdEntries !== undefined
          ? `(エントリー ${res.createdEntries} 件作成)`
          : res.markedNotSubmitted !== undefined
            ? `(未提出 ${res.markedNotSubmitted} 件、未承認 ${res.markedNotApproved ?? 0} 件)`
            : '';
      // The entries the close left unapproved, by name: planning follows each of them up.
      const list = (res.notApproved ?? [])
        .map((n) => `${itemNumber(n.itemNumber, n.itemSubNumber)} ${n.itemTitle}(${n.sectionName}・${n.stepLabel ?? ''}の確認待ち)`)
        .join('、');
      setPending(null);
      setReason('');
      await onDone(`「${cycle.label}」を${label}しました${extra}。${list ? `未承認: ${list}` : ''}${(res.notes ?? []).join('')}`);
    } catch (err) {
      setError((err as Error).message);
      invalid.request();
    } finally {
      setBusy(false);
    }
  }

  if (!cycle.allowedActions.length) return <span className="muted small">—</span>;
  return (
    <div className="cycle-actions">
      <div className="button-row">
        {cycle.allowedActions.map((a) => (
          <button
            key={a}
            type="button"
            className={`btn btn-small${a === 'force_close' ? ' btn-danger-outline' : ''}`}
            aria-expanded={pending === a}
            onClick={() => {
              setPending(pending === a ? null : a);
              setError(null);
            }}
          >
            {CYCLE_ACTION_LABELS[a]}
          </button>
        ))}
      </div>
      {pending ? (
        <form ref={invalid.ref} className="confirm-panel" onSubmit={run} noValidate aria-label={`${CYCLE_ACTION_LABELS[pending]}の確認`}>
          <p className="small">
            「{cycle.label}」を<strong>{CYCLE_ACTION_LABELS[pending]}</strong>します。{EXPLAIN[pending] ?? ''}
          </p>
          {needsReason(cycle, pending) ? (
            <div className="field">
              <label htmlFor={`reason-${cycle.id}`}>
                理由<span className="required">必須</span>
              </label>
              <textarea
                id={`reason-${cycle.id}`}
                rows={2}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                aria-invalid={(!!error && !reason.trim()) || undefined}
                aria-describedby={error ? `cycle-action-error-${cycle.id}` : undefined}
              />
            </div>
          ) : null}
          <ErrorMessage message={error} id={`cycle-action-error-${cycle.id}`} />
          <div className="button-row">
            <button type="submit" className={`btn btn-small ${pending === 'force_close' ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
              {CYCLE_ACTION_LABELS[pending]}を実行
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setPending(null)}>
              キャンセル
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
