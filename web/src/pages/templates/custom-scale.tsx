import { useState, type KeyboardEvent } from 'react';
import { MAX_ORDINAL, MIN_ORDINAL, validateScale } from '../../../../libs/domain/src/scales/rating-scale';
import { api } from '../../api';
import type { Scale, ScaleOption } from '../../types';
import { messagesOf } from './errors';
import { ProblemList } from './problem-list';

interface Row extends ScaleOption {
  reason: boolean;
}

const ORDINALS = Array.from({ length: MAX_ORDINAL - MIN_ORDINAL + 1 }, (_, i) => MAX_ORDINAL - i);
const ORDINAL_NOTE: Record<number, string> = { [MAX_ORDINAL]: '(最も良い)', [MIN_ORDINAL]: '(最も悪い)' };

const emptyRows = (): Row[] => ORDINALS.map((ordinal) => ({ value: '', symbol: '', label: '', ordinal, reason: ordinal <= 1 }));

/**
 * 新しい評価尺度: code, name and options (value, symbol, label, the common ordinal 0–3 that
 * lets ratings of different scales be compared, whether it needs a reason). Sent to
 * POST /api/scales; scales never change once written, so it is checked here first.
 */
export function CustomScaleForm({ onCreated, onCancel }: { onCreated: (scale: Scale) => Promise<void>; onCancel: () => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [rows, setRows] = useState<Row[]>(emptyRows);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const scale = (): Scale => ({
    code: code.trim(),
    name: name.trim(),
    options: rows.map((r) => ({ value: (r.value || r.symbol).trim(), symbol: r.symbol.trim(), label: r.label.trim(), ordinal: r.ordinal })),
    reasonRequiredFor: rows.filter((r) => r.reason).map((r) => (r.value || r.symbol).trim()),
  });

  async function create() {
    const s = scale();
    const errors = validateScale(s);
    setProblems(errors);
    if (errors.length) return;
    setBusy(true);
    try {
      await onCreated(await api.post<Scale>('/scales', s));
    } catch (err) {
      setProblems(messagesOf(err));
    } finally {
      setBusy(false);
    }
  }

  // Enter in this panel creates the scale, not the template around it.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
      e.preventDefault();
      void create();
    }
  };

  return (
    <fieldset className="custom-scale" onKeyDown={onKeyDown}>
      <legend>新しい評価尺度</legend>
      <ProblemList title="評価尺度を作成できません" problems={problems} />
      <div className="grid-form">
        <div className="field">
          <label htmlFor="scale-code">尺度のコード(半角英数字)</label>
          <input id="scale-code" value={code} minLength={2} maxLength={30} onChange={(e) => setCode(e.target.value)} placeholder="jimu4" />
        </div>
        <div className="field">
          <label htmlFor="scale-name">尺度の名前</label>
          <input id="scale-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder="事務事業4段階(ABCD)" />
        </div>
      </div>
      <table className="table option-table">
        <caption className="small muted">値を空けると記号が値になります。序数はどの尺度でも共通の比較用の段階です。</caption>
        <thead>
          <tr>
            <th scope="col">記号</th>
            <th scope="col">値</th>
            <th scope="col">説明</th>
            <th scope="col">序数</th>
            <th scope="col">理由が必要</th>
            <th scope="col">
              <span className="visually-hidden">操作</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`段階${i + 1}の記号`} value={r.symbol} maxLength={10} onChange={(e) => set(i, { symbol: e.target.value })} />
              </td>
              <td>
                <input
                  aria-label={`段階${i + 1}の値`}
                  value={r.value}
                  maxLength={20}
                  placeholder={r.symbol}
                  onChange={(e) => set(i, { value: e.target.value })}
                />
              </td>
              <td>
                <input aria-label={`段階${i + 1}の説明`} value={r.label} maxLength={50} onChange={(e) => set(i, { label: e.target.value })} />
              </td>
              <td>
                <select aria-label={`段階${i + 1}の序数`} value={r.ordinal} onChange={(e) => set(i, { ordinal: Number(e.target.value) })}>
                  {ORDINALS.map((o) => (
                    <option key={o} value={o}>
                      {o}
                      {ORDINAL_NOTE[o] ?? ''}
                    </option>
                  ))}
                </select>
              </td>
              <td className="check">
                <input type="checkbox" aria-label={`段階${i + 1}は理由が必要`} checked={r.reason} onChange={(e) => set(i, { reason: e.target.checked })} />
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="btn btn-small btn-danger-outline"
                  aria-label={`段階${i + 1}を削除`}
                  disabled={rows.length <= 2}
                  onClick={() => setRows(rows.filter((_, j) => j !== i))}
                >
                  削除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="button-row">
        <button
          type="button"
          className="btn btn-small"
          disabled={rows.length >= 10}
          onClick={() => setRows([...rows, { value: '', symbol: '', label: '', ordinal: MIN_ORDINAL, reason: false }])}
        >
          段階を追加
        </button>
        <span className="spacer" />
        <button type="button" className="btn" onClick={onCancel}>
          やめる
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void create()}>
          評価尺度を作成
        </button>
      </div>
    </fieldset>
  );
}
