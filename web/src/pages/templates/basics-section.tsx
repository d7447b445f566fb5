import { eraYearLabel, eraYearRangeLabel } from '../../../../libs/domain/src/periods/era';
import { fiscalYearOf } from '../../../../libs/domain/src/periods/fiscal-year';
import { PERIOD_TYPE_LABELS, PERIOD_TYPES, type PeriodType } from '../../../../libs/domain/src/periods/period';
import { RETENTION_CLASS_LABELS, RETENTION_CLASSES, type RetentionClass } from '../../../../libs/domain/src/records/retention';
import type { Plan } from '../../types';
import type { Draft } from './model';

interface Props {
  draft: Draft;
  plans: Plan[];
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
}

const today = new Date();
const THIS_FISCAL_YEAR = fiscalYearOf(`${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-01`);
/** First fiscal years a multi-year plan may start in (the API takes 1989–2200). */
const FIRST_YEARS = Array.from({ length: 21 }, (_, i) => THIS_FISCAL_YEAR - 10 + i);

/** 基本: name, code (fixed once created), plan, period, the record's 保存期間, auto-open. */
export function BasicsSection({ draft, plans, set }: Props) {
  const creating = draft.id === null;
  const first = Number(draft.firstFiscalYear);
  const span = Number(draft.spanYears);
  const years = draft.firstFiscalYear && first ? [...new Set([...FIRST_YEARS, first])].sort((a, b) => a - b) : FIRST_YEARS;
  return (
    <section className="card" aria-labelledby="tpl-basics">
      <h3 id="tpl-basics">基本</h3>
      <div className="grid-form">
        <div className="field">
          <label htmlFor="tpl-name">名称</label>
          <input id="tpl-name" required maxLength={200} value={draft.name} onChange={(e) => set('name', e.target.value)} placeholder="市長公約 月次進捗" />
        </div>
        <div className="field">
          <label htmlFor="tpl-code">コード(半角英小文字・数字・ハイフン)</label>
          <input
            id="tpl-code"
            required
            pattern="[a-z0-9][a-z0-9\-]{1,49}"
            value={draft.code}
            readOnly={!creating}
            aria-describedby={creating ? undefined : 'tpl-code-fixed'}
            onChange={(e) => set('code', e.target.value)}
            placeholder="pledge-monthly"
          />
          {creating ? null : (
            <p id="tpl-code-fixed" className="small muted">
              作成後は変更できません。
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="tpl-plan">計画</label>
          <select id="tpl-plan" required value={draft.planId} onChange={(e) => set('planId', e.target.value)}>
            {draft.planId ? null : <option value="">選んでください</option>}
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tpl-period">周期</label>
          <select id="tpl-period" value={draft.periodType} onChange={(e) => set('periodType', e.target.value as PeriodType)}>
            {PERIOD_TYPES.map((k) => (
              <option key={k} value={k}>
                {PERIOD_TYPE_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {draft.periodType === 'multi_year' ? (
          <>
            <div className="field">
              <label htmlFor="tpl-span">計画期間の年数</label>
              <input id="tpl-span" type="number" required min={2} max={10} value={draft.spanYears} onChange={(e) => set('spanYears', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="tpl-first">最初の年度</label>
              <select id="tpl-first" required value={draft.firstFiscalYear} onChange={(e) => set('firstFiscalYear', e.target.value)}>
                <option value="">選んでください</option>
                {years.map((y) => (
                  <option key={y} value={y}>
                    {eraYearLabel(y)}({y}年度)
                  </option>
                ))}
              </select>
              {first && span >= 2 && span <= 10 ? <p className="small muted">最初の期間: {eraYearRangeLabel(first, first + span - 1)}</p> : null}
            </div>
          </>
        ) : null}
        <div className="field">
          <label htmlFor="tpl-retention">記録の保存期間</label>
          <select
            id="tpl-retention"
            value={draft.retentionClass}
            aria-describedby="tpl-retention-help"
            onChange={(e) => set('retentionClass', e.target.value as RetentionClass)}
          >
            {RETENTION_CLASSES.map((c) => (
              <option key={c} value={c}>
                {RETENTION_CLASS_LABELS[c]}
              </option>
            ))}
          </select>
          <p id="tpl-retention-help" className="small muted">
            締め切ったサイクルの記録(公文書)の保存期間。締切日の翌年度4月1日から数えます。
          </p>
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={draft.autoOpen} onChange={(e) => set('autoOpen', e.target.checked)} />
        期間が始まったら自動で開始する
      </label>
    </section>
  );
}
