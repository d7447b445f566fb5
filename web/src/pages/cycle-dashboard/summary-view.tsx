import { useState } from 'react';
import { optionText } from '../../../../libs/domain/src/scales/rating-scale';
import { api } from '../../api';
import { ErrorMessage, Loading } from '../../components/common';
import type { Summary } from '../../types';
import { useLoad } from '../../use-load';
import { ChartRows } from './charts';

export function SummaryView({ id }: { id: number }) {
  const [acceptedOnly, setAcceptedOnly] = useState(false);
  const { data, error } = useLoad(() => api.get<Summary>(`/cycles/${id}/summary?acceptedOnly=${acceptedOnly}`), [id, acceptedOnly]);
  return (
    <>
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={acceptedOnly} onChange={(e) => setAcceptedOnly(e.target.checked)} />
          承認済みのみ集計する
        </label>
      </div>
      <ErrorMessage message={error} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <section className="card">
            <h2>
              評価別の件数{' '}
              <span className="muted small">
                ({data.scale.name}・全{data.total}件)
              </span>
            </h2>
            <ChartRows
              rows={[
                ...data.ratings.map((r) => ({ key: r.value, label: optionText(r), value: r.count, text: `${r.count}件` })),
                ...(data.unrated ? [{ key: '_', label: '未評価', value: data.unrated, text: `${data.unrated}件` }] : []),
              ]}
              max={Math.max(1, ...data.ratings.map((r) => r.count), data.unrated)}
              tone="primary"
            />
          </section>
          <section className="card">
            <h2>部局別</h2>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">部局</th>
                    {data.ratings.map((r) => (
                      <th key={r.value} scope="col" className="num" title={r.label}>
                        {r.symbol}
                      </th>
                    ))}
                    <th scope="col" className="num">
                      未評価
                    </th>
                    <th scope="col" className="num">
                      計
                    </th>
                    <th scope="col">内訳</th>
                  </tr>
                </thead>
                <tbody>
                  {data.byDepartment.map((d) => (
                    <tr key={d.departmentId}>
                      <td>{d.departmentName}</td>
                      {d.ratings.map((r) => (
                        <td key={r.value} className="num">
                          {r.count}
                        </td>
                      ))}
                      <td className="num">{d.unrated}</td>
                      <td className="num">{d.total}</td>
                      <td className="bar-cell">
                        <div className="stacked-bar small-bar" role="img" aria-label={d.ratings.map((r) => `${r.symbol} ${r.count}件`).join('、')}>
                          {d.ratings.map((r) =>
                            r.count ? (
                              <div key={r.value} className={`bar-ordinal-${r.ordinal}`} style={{ width: `${(r.count / Math.max(1, d.total)) * 100}%` }} />
                            ) : null,
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  );
}
