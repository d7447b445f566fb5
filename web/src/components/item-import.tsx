import { useRef, useState, type FormEvent } from 'react';
import { ApiError, download, upload } from '../api';
import type { ImportResult, ImportRowError } from '../plan-types';
import { ErrorMessage, Notice } from './common';

/**
 * ファイルから取り込む: CSV (UTF-8) or XLSX, all rows or none. A refused file shows every bad
 * cell (row as in the spreadsheet, column as written, what is wrong) so it can be fixed at once.
 */
export function ItemImport({ planId, onImported }: { planId: number; onImported: () => Promise<unknown> }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<ImportRowError[]>([]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const file = input.current?.files?.[0];
    setResult(null);
    setRows([]);
    if (!file) {
      setError('取り込むファイルを選んでください');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(await upload<ImportResult>(`/plans/${planId}/items/import`, file));
      if (input.current) input.current.value = '';
      await onImported();
    } catch (err) {
      setError((err as Error).message);
      if (err instanceof ApiError && Array.isArray(err.body.errors)) setRows(err.body.errors as ImportRowError[]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="item-import">
      <h2 id="item-import">ファイルから取り込む</h2>
      <p className="small muted">
        番号・枝番が同じ項目は更新、ない項目は追加します。ファイルにない列(評価者、予算額、属性、他の年度の目標値など)は今の値のままです。1行でも誤りがあれば何も取り込みません。
      </p>
      <form className="row-form" noValidate onSubmit={submit}>
        <label htmlFor="import-file">取り込むファイル(CSV UTF-8 または Excel .xlsx)</label>
        <input id="import-file" ref={input} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          取り込む
        </button>
        <button type="button" className="btn btn-small" onClick={() => void download(`/plans/${planId}/items/import-template.csv`, 'items-import-template.csv').catch((err: Error) => setError(err.message))}>
          テンプレート(CSV)をダウンロード
        </button>
      </form>
      {result ? (
        <Notice
          kind="success"
          message={`${result.total}件を取り込みました(追加 ${result.created}件・更新 ${result.updated}件)。${
            result.ignoredColumns.length ? `次の列は読み取りませんでした: ${result.ignoredColumns.join('、')}` : ''
          }`}
        />
      ) : null}
      <ErrorMessage message={error} />
      {rows.length ? (
        <div className="table-scroll">
          <table className="table import-errors">
            <caption>取り込めなかった行({new Set(rows.map((r) => r.row)).size}行・{rows.length}件)</caption>
            <thead>
              <tr>
                <th scope="col" className="num">行</th>
                <th scope="col">列</th>
                <th scope="col">内容</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td className="num">{r.row}</td>
                  <td>{r.field}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
