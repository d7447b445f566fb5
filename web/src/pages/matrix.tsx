import { eraYearLabel } from '../../../libs/domain/src/periods/era';
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
                    <td>{r.title}</td>
                    <td className="small">{r.sectionName}</td>
                    {r.cells.map((cell) => (
                      <td key={cell.cycleId} className={`matrix-cell${cell.state && cell.state !== 'accepted' ? ' unaccepted' : ''}`} title={cell.state ?? ''}>
                        {cell.symbol || (cell.state ? '·' : '')}
                        {cell.response ? (
                          <div className="matrix-note" title={cell.response} aria-label={`${RECOMMENDATION_RESPONSE_LABEL}: ${cell.response}`}>
                            {RECOMMENDATION_RESPONSE_LABEL}
                          </div>
                        ) : null}
                        {cell.recommendation ? (
                          <div className="matrix-note" title={cell.recommendation} aria-label={`${RECOMMENDATION_LABEL}: ${cell.recommendation}`}>
                            {RECOMMENDATION_LABEL} →
                          </div>
                        ) : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="small muted">薄い記号は未承認(提出前・確認中)の評価です。</p>
        </section>
      ) : null}
    </>
  );
}
