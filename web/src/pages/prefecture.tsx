import { useState } from 'react';
import { api } from '../api';
import { Bar, Empty, ErrorMessage, Loading } from '../components/common';
import { formatDate } from '../format';
import type { Comparison, SharedTemplate } from '../types';
import { useLoad } from '../use-load';

/**
 * 市区町村の比較 (the prefecture's user): for a template the prefecture distributes and a period,
 * each municipality's completeness and rating counts, from what it published (no draft, no text).
 */
export function PrefectureComparisonPage({ code, period }: { code: string | null; period: string | null }) {
  const templates = useLoad(() => api.get<SharedTemplate[]>('/shared-templates'), []);
  const [chosen, setChosen] = useState<{ code: string | null; period: string | null }>({ code, period });
  if (templates.error) return <ErrorMessage message={templates.error} />;
  if (!templates.data) return <Loading />;
  const current = chosen.code ?? templates.data[0]?.code ?? null;
  return (
    <>
      <h1>市区町村の比較</h1>
      <p className="muted">管内の市区町村が公表した結果だけを集計しています(公表前の入力内容は含みません)。</p>
      {templates.data.length === 0 ? (
        <Empty>配布した共通テンプレートはありません。</Empty>
      ) : (
        <div className="field">
          <label htmlFor="comparison-template">共通テンプレート</label>
          <select id="comparison-template" value={current ?? ''} onChange={(e) => setChosen({ code: e.target.value, period: null })}>
            {templates.data.map((t) => (
              <option key={t.code} value={t.code}>
                {t.name}({t.code})
              </option>
            ))}
          </select>
        </div>
      )}
      {current ? (
        <ComparisonTable
          key={`${current}/${chosen.period ?? ''}`}
          code={current}
          period={chosen.period}
          onPeriod={(p) => setChosen({ code: current, period: p })}
        />
      ) : null}
    </>
  );
}

function ComparisonTable({ code, period, onPeriod }: { code: string; period: string | null; onPeriod: (key: string) => void }) {
  const query = new URLSearchParams({ code, ...(period ? { period } : {}) });
  const loaded = useLoad(() => api.get<Comparison>(`/prefecture/comparison?${query.toString()}`), [code, period]);
  if (loaded.error) return <ErrorMessage message={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const c = loaded.data;
  if (!c.period) return <Empty>この共通テンプレートで公表した市区町村はまだありません。</Empty>;
  const options = c.scale?.options ?? [];
  return (
    <section className="card" aria-labelledby="comparison-heading">
      <div className="field">
        <label htmlFor="comparison-period">期間</label>
        <select id="comparison-period" value={c.period.key} onChange={(e) => onPeriod(e.target.value)}>
          {c.periods.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <h2 id="comparison-heading">
        {c.templateName} {c.period.label}
      </h2>
      <div className="scroll" tabIndex={0} role="region" aria-label="市区町村ごとの承認状況と評価">
        <table className="table">
          <caption>
            {c.period.label}の市区町村ごとのエントリーの承認状況と評価{c.scale ? `(${c.scale.name})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">市区町村</th>
              <th scope="col">公表</th>
              <th scope="col">承認済み / 全体</th>
              {options.map((o) => (
                <th scope="col" key={o.value}>
                  {o.symbol} {o.label}
                </th>
              ))}
              <th scope="col">未承認</th>
            </tr>
          </thead>
          <tbody>
            {c.municipalities.map((m) => (
              <tr key={m.tenantId}>
                <th scope="row">{m.publicUrl ? <a href={`${m.publicUrl.replace(/\/+$/, '')}/public`}>{m.name}</a> : m.name}</th>
                <td>{m.published ? `第${m.version}版 ${formatDate(m.publishedAt)}` : '未公表'}</td>
                <td>
                  {m.published ? (
                    <>
                      {m.reported} / {m.total}件({m.reportedPercent}%)
                      <Bar value={m.reported} max={m.total} label={`${m.name}: ${m.total}件中${m.reported}件が承認済み`} />
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                {m.ratings.map((r) => (
                  <td className="num" key={r.value}>
                    {m.published ? r.count : '—'}
                  </td>
                ))}
                <td className="num">{m.published ? m.notReported : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
