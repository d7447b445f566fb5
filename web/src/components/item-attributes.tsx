import { eraYearLabel } from '../../../libs/domain/src/periods/era';
import { displayWithUnit } from '../../../libs/domain/src/forms';
import type { EntryDetail } from '../types';

/**
 * The item's attributes (budget, FTE, legal basis, 年次計画 …) as the plan defines them,
 * read-only beside the form. A per-year attribute shows every year, this cycle's first.
 */
export function ItemAttributes({ detail }: { detail: EntryDetail }) {
  const fields = detail.item.itemFields ?? [];
  const attributes = detail.item.attributes ?? {};
  if (!fields.length) return null;
  return (
    <section className="card side-card" aria-labelledby="item-attributes-title">
      <h2 id="item-attributes-title">項目の情報</h2>
      <dl className="readonly compact">
        {fields.map((f) => {
          const v = attributes[f.key];
          if (f.perYear) {
            const years = v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>).sort(([a], [b]) => Number(a) - Number(b)) : [];
            return (
              <div key={f.key} className="readonly-row" data-attribute={f.key}>
                <dt>{f.label}</dt>
                <dd>
                  {years.length ? (
                    <table className="table compact-table">
                      <tbody>
                        {years.map(([y, value]) => (
                          <tr key={y} className={Number(y) === detail.fiscalYear ? 'current-year' : undefined}>
                            <th scope="row">{eraYearLabel(Number(y))}</th>
                            <td className={f.type === 'long_text' ? 'pre' : undefined}>{displayWithUnit(f, value)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    <span className="muted">(未設定)</span>
                  )}
                </dd>
              </div>
            );
          }
          const text = displayWithUnit(f, v);
          return (
            <div key={f.key} className="readonly-row" data-attribute={f.key}>
              <dt>{f.label}</dt>
              <dd className={f.type === 'long_text' ? 'pre' : undefined}>{text || <span className="muted">(未設定)</span>}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
