import { eraYearLabel } from '../../../libs/domain/src/periods/era';
import { ENTRY_STATE_LABELS, type EntryState } from '../../../libs/domain/src/workflow/entry-state';
import { api, download } from '../api';
import { Empty, ErrorMessage, Loading, PageHeader } from '../components/common';
import { itemNumber } from '../format';
import { navigate } from '../router';
import type { Matrix, Template } from '../types';
import { useLoad } from '../use-load';
import { RECOMMENDATION_LABEL, RECOMMENDATION_RESPONSE_LABEL } from '../../../libs/domain/src/workflow/approval-steps';

function currentFiscalYear(): number {
  const d = new Date();
  return d.getMonth() + 1 >= 4 ? d.getFullYear() : d.getFullYear() - 1;
}

/** 進捗一覧: items × periods with the rating symbols, like the monthly pledge report. */
export function MatrixPage({ query }: { query: URLSearchParams }) {
  const templates = useLoad(() => api.get<Template[]>('/templates'), []);
  const templateId = Number(query.get('template')) || templates.data?.[0]?.id;
  const fiscalYear = query.get('year') === 'all' ? null : Number(query.get('year')) || currentFiscalYear();
  const matrix = useLoad(
    () => (templateId ? api.get<Matrix>(`/templates/${templateId}/matrix${fiscalYear ? `?fiscalYear=${fiscalYear}` : ''}`) : Promise.resolve(undefined)),
    [templateId, fiscalYear],
  );
  const go = (template: number | undefined, year: number | null) => navigate(`/matrix?template=${template ?? ''}&year=${year ?? 'all'}`);
  const years = Array.from({ length: 6 }, (_, i) => currentFiscalYear() - i);
  const m = matrix.data;

  return (
    <>
      <PageHeader title="進捗一覧">
        {templateId ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void download(`/templates/${templateId}/matrix.xlsx${fiscalYear ? `?fiscalYear=${fiscalYear}` : ''}`, 'matrix.xlsx')}
          >
            Excel出力
          </button>
        ) : null}
      </PageHeader>
      <div className="toolbar">
        <label htmlFor="matrix-template">テンプレート</label>
        <select id="matrix-template" value={templateId ?? ''} onChange={(e) => go(Number(e.target.value), fiscalYear)}>
          {(templates.data ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <label htmlFor="matrix-year">年度</label>
        <select id="matrix-year" value={fiscalYear ?? 'all'} onChange={(e) => go(templateId, e.target.value === 'all' ? null : Number(e.target.value))}>
          {years.map((y) => (
            <option key={y} value={y}>
              {eraYearLabel(y)}
            </option>
          ))}
          <option value="all">全期間</option>
        </select>
      </div>
      <ErrorMessage message={templates.error ?? matrix.error} />
      {matrix.loading && !m ? <Loading /> : null}
      {m && m.columns.length === 0 ? <Empty>この年度のサイクルはありません。</Empty> : null}
      {m && m.columns.length > 0 ? (
        <section className="card">
          <p className="legend-line small">
            {m.template.scale.options.map((o) => (
              <span key={o.value}>
                <strong className="rating-symbol-inline">{o.symbol}</strong> {o.label}
              </span>
            ))}
          </p>
          <div className="table-scroll">
            <table className="table matrix">
              <thead>
                <tr>
                  <th scope="col">番号</th>
                  <th scope="col">項目</th>
                  <th scope="col">担当課</th>
                  {m.columns.map((c) => (
                    <th key={c.cycleId} scope="col" className="matrix-cell">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.rows.map((r) => (
                  <tr key={`${r.itemId}:${r.sectionId}`}>
                    <td className="num">{itemNumber(r.number, r.subNumber)}</td>
                    <th scope="row" className="matrix-item">
                      {r.title}
                    </th>
                    <td className="small">{r.sectionName}</td>
                    {r.cells.map((cell) => (
                      <MatrixCell key={cell.cycleId} cell={cell} />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="small muted">
            <span className="matrix-marker" aria-hidden="true">
              *
            </span>
            は未承認(提出前・確認中)の評価、「—」は評価が未入力であることを示します。
          </p>
        </section>
      ) : null}
    </>
  );
}

/**
 * One period's rating. Whether it is accepted is said in text (a * marker, and the state in
 * words for screen readers and the tooltip), not by a paler colour alone.
 */
function MatrixCell({ cell }: { cell: Matrix['rows'][number]['cells'][number] }) {
  const state = cell.state ? (ENTRY_STATE_LABELS[cell.state as EntryState] ?? cell.state) : null;
  const pending = !!cell.state && cell.state !== 'accepted';
  return (
    <td className={`matrix-cell${pending ? ' unaccepted' : ''}`} title={state ?? undefined}>
      {cell.symbol ? <span className="rating-symbol-inline">{cell.symbol}</span> : cell.state ? <span aria-hidden="true">—</span> : null}
      {pending ? (
        <span className="matrix-marker" aria-hidden="true">
          *
        </span>
      ) : null}
      {cell.state && (pending || !cell.symbol) ? <span className="visually-hidden">{cell.symbol ? `(${state})` : `未入力(${state})`}</span> : null}
      {cell.response ? (
        <div className="matrix-note" title={cell.response}>
          {RECOMMENDATION_RESPONSE_LABEL}
          <span className="visually-hidden">: {cell.response}</span>
        </div>
      ) : null}
      {cell.recommendation ? (
        <div className="matrix-note" title={cell.recommendation}>
          {RECOMMENDATION_LABEL} →<span className="visually-hidden">: {cell.recommendation}</span>
        </div>
      ) : null}
    </td>
  );
}
