import { useRef, useState, type FormEvent } from 'react';
import { ApiError, download, upload } from '../api';
import type { ImportResult, ImportRowError } from '../plan-types';
import { ErrorMessage, Notice } from './common';

/**
 * ファイルで書き出す・取り込む: the plan's items exported in the import's own format (CSV or
 * Excel), to edit and import again; the import takes CSV (UTF-8) or XLSX, all rows or none. A
 * refused file shows every bad cell (row as in the spreadsheet, column as written, what is
 * wrong) so it can be fixed at once.
 */
export function ItemImport({ planId, onImported }: { planId: number; onImported: () => Promise<unknown> }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<ImportRowError[]>([]);

  const exportAs = (ext: 'csv' | 'xlsx') => {
    setError(null);
    void download(`/plans/${planId}/items/export.${ext}`, `plan-${planId}-items.${ext}`).catch((err: Error) => setError(err.message));
  };

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
      <h2 id="item-import">ファイルで書き出す・取り込む</h2>
      <div className="button-row item-export" role="group" aria-label="項目の書き出し">
        <button type="button" className="btn btn-small" onClick={() => exportAs('csv')}>
          CSVで書き出す
        </button>
        <button type="button" className="btn btn-small" onClick={() => exportAs('xlsx')}>
          Excelで書き出す
        </button>
        <span className="small muted">
          全項目を取り込みと同じ列で書き出します。Excelで編集してそのまま取り込めます(文字が数値や日付に変わらないよう、編集はExcel形式で)。
        </span>
      </div>
      <p className="small muted">
        番号・枝番が同じ項目は更新、ない項目は追加します。ファイルにない列(評価者、予算額、属性、他の年度の目標値など)は今の値のままです。1行でも誤りがあれば何も取り込みません。
      </p>
      <form className="row-form" noValidate onSubmit={submit}>
        <label htmlFor="import-file">取り込むファイル(CSV UTF-8 または Excel .xlsx)</label>
        <input id="import-file" ref={input} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          取り込む
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void download(`/plans/${planId}/items/import-template.csv`, 'items-import-template.csv').catch((err: Error) => setError(err.message))}
        >
          テンプレート(CSV)をダウンロード
        </button>
      </form>
      {result ? (
        <Notice
          kind="success"
          message={`${result.total}件を取り込みました(追加 ${result.created}件・更新 ${result.updated}件${result.unchanged ? `・変更なし ${result.unchanged}件` : ''})。${
            result.ignoredColumns.length ? `次の列は読み取りませんでした: ${result.ignoredColumns.join('、')}` : ''
          }`}
        />
      ) : null}
      <ErrorMessage message={error} />
      {rows.length ? (
        <div className="table-scroll">
          <table className="table import-errors">
            <caption>
              取り込めなかった行({new Set(rows.map((r) => r.row)).size}行・{rows.length}件)
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  行
                </th>
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
