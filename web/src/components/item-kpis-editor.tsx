import { KPI_DIRECTION_LABELS, KPI_DIRECTIONS, KPI_KIND_LABELS, KPI_KINDS } from '../../../libs/domain/src/forms/kpi';
import { eraYearLabel } from '../fiscal-years';
import { newKpi, type KpiDraft } from '../item-draft';
import type { KpiDirection, KpiKind } from '../plan-types';

/**
 * 指標(KPI): name, unit, kind (a number, or a milestone reached or not: 策定完了), which way is
 * better, and a target per fiscal year. An existing KPI keeps its id when renamed, so the
 * actuals already reported stay attached to it.
 */
export function KpisEditor({ kpis, years, onChange }: { kpis: KpiDraft[]; years: number[]; onChange: (kpis: KpiDraft[]) => void }) {
  const update = (uid: number, change: Partial<KpiDraft>) => onChange(kpis.map((k) => (k.uid === uid ? { ...k, ...change } : k)));
  return (
    <div className="kpi-editor">
      {kpis.length === 0 ? <p className="muted">指標はありません。</p> : null}
      {kpis.map((k, i) => {
        const id = `kpi-${k.uid}`;
        const n = i + 1;
        return (
          <fieldset key={k.uid} className="kpi-card">
            <legend>指標{n}</legend>
            <div className="builder-grid">
              <div className="field">
                <label htmlFor={`${id}-name`}>指標名</label>
                <input id={`${id}-name`} value={k.name} onChange={(e) => update(k.uid, { name: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-unit`}>単位</label>
                <input id={`${id}-unit`} value={k.unit} onChange={(e) => update(k.uid, { unit: e.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-kind`}>種類</label>
                <select id={`${id}-kind`} value={k.kind} onChange={(e) => update(k.uid, { kind: e.target.value as KpiKind })}>
                  {KPI_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {KPI_KIND_LABELS[kind]}
                    </option>
                  ))}
                </select>
              </div>
              {k.kind === 'numeric' ? (
                <div className="field">
                  <label htmlFor={`${id}-direction`}>良い方向</label>
                  <select id={`${id}-direction`} value={k.direction} onChange={(e) => update(k.uid, { direction: e.target.value as KpiDirection })}>
                    {KPI_DIRECTIONS.map((d) => (
                      <option key={d} value={d}>
                        {KPI_DIRECTION_LABELS[d]}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
            </div>
            <div className="year-grid">
              {years.map((y) => (
                <div key={y} className="field">
                  <label htmlFor={`${id}-t${y}`}>{eraYearLabel(y)}の目標</label>
                  <div className={k.kind === 'numeric' ? 'input-unit' : undefined}>
                    <input
                      id={`${id}-t${y}`}
                      inputMode={k.kind === 'numeric' ? 'decimal' : undefined}
                      placeholder={k.kind === 'milestone' ? '策定完了' : undefined}
                      value={k.targets[String(y)] ?? ''}
                      onChange={(e) => update(k.uid, { targets: { ...k.targets, [String(y)]: e.target.value } })}
                    />
                    {k.kind === 'numeric' && k.unit ? <span className="unit">{k.unit}</span> : null}
                  </div>
                </div>
              ))}
            </div>
            <button type="button" className="btn btn-small btn-danger-outline" onClick={() => onChange(kpis.filter((x) => x.uid !== k.uid))}>
              指標{n}を削除
            </button>
          </fieldset>
        );
      })}
      <button type="button" className="btn btn-small" onClick={() => onChange([...kpis, newKpi()])}>
        指標を追加
      </button>
    </div>
  );
}
