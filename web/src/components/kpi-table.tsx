import { eraYearLabel } from '../../../libs/domain/src/periods/era';
import { formatAchievement, KPI_DIRECTION_LABELS, kpiAchievement } from '../../../libs/domain/src/forms';
import { kpiActualOf } from '../form-state';
import type { FormField, Kpi, KpiActual } from '../types';

/**
 * The item's KPIs for the cycle's fiscal year: target, the actual as typed, and the
 * achievement computed as the user types, by the domain's own kpiAchievement (lower-is-better
 * and milestones included). A shortfall is marked so the analysis box's appearance is explained.
 */
export function KpiTable(p: {
  field: FormField;
  kpis: Kpi[];
  fiscalYear: number;
  raw: Record<number, string>;
  onChange?: (kpiId: number, value: string) => void;
  required: boolean;
  error?: string;
  comment?: string;
  /** The previous cycle's actuals (前回実績), shown beside this cycle's for comparison. */
  previous?: { label: string; actuals: KpiActual[] } | null;
}) {
  const year = eraYearLabel(p.fiscalYear);
  const previous = p.previous && p.previous.actuals.length ? p.previous : null;
  return (
    <fieldset className={`field kpi-field${p.comment ? ' field-flagged' : ''}${p.error ? ' field-invalid' : ''}`} data-field={p.field.key}>
      <legend>
        {p.field.label}
        {p.onChange ? p.required ? <span className="required">必須</span> : <span className="optional">任意</span> : null}
      </legend>
      {p.field.help ? <p className="small muted">{p.field.help}</p> : null}
      {/* Wider than a phone: it scrolls in its own box, the page does not (WCAG 1.4.10). */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={`${p.field.label}の表`}>
        <table className="table kpi-table">
          <thead>
            <tr>
              <th scope="col">指標</th>
              {previous ? (
                <th scope="col" title={previous.label}>
                  前回実績
                </th>
              ) : null}
              <th scope="col">{year}目標</th>
              <th scope="col">{year}実績</th>
              <th scope="col">達成度</th>
            </tr>
          </thead>
          <tbody>
            {p.kpis.map((k) => {
              const raw = p.raw[k.id] ?? '';
              const actual = kpiActualOf(k, raw);
              const unreadable = raw.trim() !== '' && actual === null;
              const a = kpiAchievement(k, p.fiscalYear, actual);
              const target = a.target === null ? '(目標なし)' : `${a.target}${k.kind === 'numeric' ? k.unit : ''}`;
              return (
                <tr key={k.id} className={a.achieved === false ? 'kpi-short' : undefined} data-kpi={k.id}>
                  <th scope="row">
                    {k.name}
                    <span className="small muted">
                      {' '}
                      ({k.kind === 'milestone' ? '達成目標' : `${KPI_DIRECTION_LABELS[k.direction]}${k.unit ? `・${k.unit}` : ''}`})
                    </span>
                  </th>
                  {previous ? (
                    <td className="muted" data-testid={`kpi-previous-${k.id}`}>
                      {previousActual(previous.actuals, k)}
                    </td>
                  ) : null}
                  <td>{target}</td>
                  <td>
                    {p.onChange ? (
                      <div className="input-unit">
                        <input
                          id={`kpi-${k.id}`}
                          aria-label={`${k.name} ${year}実績`}
                          inputMode={k.kind === 'milestone' ? 'text' : 'decimal'}
                          value={raw}
                          aria-invalid={unreadable || undefined}
                          aria-describedby={unreadable ? `kpi-error-${k.id}` : undefined}
                          onChange={(e) => p.onChange!(k.id, e.target.value)}
                        />
                        {k.kind === 'numeric' && k.unit ? <span className="unit">{k.unit}</span> : null}
                      </div>
                    ) : (
                      <span>{raw || '(未入力)'}</span>
                    )}
                    {unreadable ? (
                      <span className="field-error" id={`kpi-error-${k.id}`}>
                        数値で入力してください
                      </span>
                    ) : null}
                  </td>
                  <td data-testid={`kpi-rate-${k.id}`}>
                    {formatAchievement(k.kind, a)}
                    {a.achieved === false ? <span className="badge badge-warning">目標未達</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {p.comment ? (
        <p className="field-comment" id={`comment-${p.field.key}`}>
          <span className="field-comment-label">差戻し指摘</span>
          {p.comment}
        </p>
      ) : null}
      {p.error ? (
        <p className="field-error" id={`error-${p.field.key}`}>
          {p.error}
        </p>
      ) : null}
    </fieldset>
  );
}

function previousActual(actuals: KpiActual[], k: Kpi): string {
  const a = actuals.find((x) => x.kpiId === k.id)?.actual;
  if (a === null || a === undefined || a === '') return '—';
  return `${a}${k.kind === 'numeric' ? k.unit : ''}`;
}
