import { useState } from 'react';
import { Notice } from '../../components/common';
import type { Scale } from '../../types';
import { CustomScaleForm } from './custom-scale';

/** The scale's name, with its symbols unless the name already shows them. */
export function withSymbols(scale: Scale): string {
  const symbols = scale.options.map((o) => o.symbol);
  return symbols.every((sym) => scale.name.includes(sym)) ? scale.name : `${scale.name}(${symbols.join(' ')})`;
}

interface Props {
  scales: Scale[];
  scaleCode: string;
  notice: string | null;
  onChange: (code: string) => void;
  /** A scale was created: reload the list, select it. */
  onCreated: (scale: Scale) => Promise<void>;
}

/** 評価尺度: one of the scales (built-in or made earlier), or a new one made here. */
export function ScaleSection({ scales, scaleCode, notice, onChange, onCreated }: Props) {
  const [creating, setCreating] = useState(false);
  const scale = scales.find((s) => s.code === scaleCode);
  return (
    <section className="card" aria-labelledby="tpl-scale-h">
      <h3 id="tpl-scale-h">評価</h3>
      <div className="row-form">
        <label htmlFor="tpl-scale">評価尺度</label>
        <select id="tpl-scale" value={scaleCode} onChange={(e) => onChange(e.target.value)}>
          {scale ? null : <option value={scaleCode}>{scaleCode}</option>}
          {scales.map((s) => (
            <option key={s.code} value={s.code}>
              {withSymbols(s)}
            </option>
          ))}
        </select>
        {creating ? null : (
          <button type="button" className="btn btn-small" onClick={() => setCreating(true)}>
            新しい評価尺度を作る
          </button>
        )}
      </div>
      <Notice message={notice} kind="success" />
      {scale ? (
        <table className="table scale-table">
          <caption className="small muted">「{scale.name}」の段階</caption>
          <thead>
            <tr>
              <th scope="col">記号</th>
              <th scope="col">説明</th>
              <th scope="col">序数(3が最も良い)</th>
              <th scope="col">理由</th>
            </tr>
          </thead>
          <tbody>
            {scale.options.map((o) => (
              <tr key={o.value}>
                <td className="rating-cell">{o.symbol}</td>
                <td>{o.label}</td>
                <td>{o.ordinal}</td>
                <td>{scale.reasonRequiredFor.includes(o.value) ? '必要' : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {creating ? (
        <CustomScaleForm
          onCancel={() => setCreating(false)}
          onCreated={async (s) => {
            await onCreated(s);
            setCreating(false);
          }}
        />
      ) : null}
    </section>
  );
}
