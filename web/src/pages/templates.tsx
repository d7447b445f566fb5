import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/common';
import type { ApprovalStep, Plan, Scale, Template } from '../types';
import { useLoad } from '../use-load';

const PERIOD_TYPES: Record<string, string> = {
  monthly: '月次',
  quarterly: '四半期',
  half_year: '半期',
  fiscal_year: '年度',
  multi_year: '複数年度',
};

const STEP_KINDS: { kind: ApprovalStep['kind']; label: string }[] = [
  { kind: 'section_chief', label: '課長' },
  { kind: 'evaluator', label: '評価者' },
  { kind: 'planning', label: '企画課' },
];

/** The scale's name, with its symbols unless the name already shows them. */
function withSymbols(scale: Scale): string {
  const symbols = scale.options.map((o) => o.symbol);
  return symbols.every((sym) => scale.name.includes(sym)) ? scale.name : `${scale.name}(${symbols.join(' ')})`;
}

/** テンプレート: what a cycle asks for (fields, scale, approval route, deadlines). */
export function TemplatesPage() {
  const templates = useLoad(() => api.get<Template[]>('/templates'), []);
  const plans = useLoad(() => api.get<Plan[]>('/plans'), []);
  const scales = useLoad(() => api.get<Scale[]>('/scales'), []);
  const [form, setForm] = useState({
    code: '',
    name: '',
    planId: '',
    periodType: 'monthly',
    scaleCode: 'progress4',
    submissionOffsetDays: '10',
    reviewOffsetDays: '20',
    autoOpen: false,
    steps: { section_chief: true, evaluator: true, planning: false } as Record<ApprovalStep['kind'], boolean>,
  });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm({ ...form, [key]: value });

  async function create(e: FormEvent) {
    e.preventDefault();
    const approvalRoute = STEP_KINDS.filter((s) => form.steps[s.kind]).map((s) => ({ kind: s.kind, label: s.label }));
    if (!approvalRoute.length) {
      setError('承認ルートを1段階以上選んでください');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const t = await api.post<Template>('/templates', {
        code: form.code.trim(),
        name: form.name.trim(),
        planId: Number(form.planId || plans.data?.[0]?.id),
        periodType: form.periodType,
        scaleCode: form.scaleCode,
        approvalRoute,
        submissionOffsetDays: Number(form.submissionOffsetDays),
        reviewOffsetDays: Number(form.reviewOffsetDays),
        autoOpen: form.autoOpen,
      });
      setNotice(`テンプレート「${t.name}」を作成しました。`);
      setForm({ ...form, code: '', name: '' });
      await templates.reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const scaleName = (code: string) => scales.data?.find((s) => s.code === code);
  const planName = (id: number) => plans.data?.find((p) => p.id === id)?.name ?? `#${id}`;

  return (
    <>
      <PageHeader title="テンプレート" />
      <ErrorMessage message={templates.error} />
      <Notice message={notice} kind="success" />
      {templates.loading && !templates.data ? <Loading /> : null}
      {templates.data && templates.data.length === 0 ? <Empty>テンプレートはまだありません。</Empty> : null}
      {templates.data?.length ? (
        <section className="card">
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">名称</th>
                  <th scope="col">計画</th>
                  <th scope="col">周期</th>
                  <th scope="col">評価尺度</th>
                  <th scope="col">承認ルート</th>
                  <th scope="col">提出期限</th>
                  <th scope="col">自動開始</th>
                </tr>
              </thead>
              <tbody>
                {templates.data.map((t) => {
                  const scale = scaleName(t.scaleCode);
                  return (
                    <tr key={t.id} className={t.active ? undefined : 'muted'}>
                      <td>
                        {t.name}
                        <div className="small muted">{t.code}</div>
                      </td>
                      <td>{planName(t.planId)}</td>
                      <td>{PERIOD_TYPES[t.periodType] ?? t.periodType}</td>
                      <td>
                        {scale ? withSymbols(scale) : t.scaleCode}
                      </td>
                      <td>{t.approvalRoute.map((s) => s.label).join(' → ')}</td>
                      <td>期間終了{t.submissionOffsetDays >= 0 ? `の${t.submissionOffsetDays}日後` : `の${-t.submissionOffsetDays}日前`}</td>
                      <td>{t.autoOpen ? 'する' : 'しない'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="card" aria-labelledby="new-template">
        <h2 id="new-template">テンプレートの作成</h2>
        <form className="grid-form" onSubmit={create}>
          <div className="field">
            <label htmlFor="tpl-name">名称</label>
            <input id="tpl-name" required value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="市長公約 月次進捗" />
          </div>
          <div className="field">
            <label htmlFor="tpl-code">コード(半角英小文字・数字・ハイフン)</label>
            <input id="tpl-code" required pattern="[a-z0-9][a-z0-9-]{1,49}" value={form.code} onChange={(e) => set('code', e.target.value)} placeholder="pledge-monthly" />
          </div>
          <div className="field">
            <label htmlFor="tpl-plan">計画</label>
            <select id="tpl-plan" value={form.planId} onChange={(e) => set('planId', e.target.value)}>
              {(plans.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="tpl-period">周期</label>
            <select id="tpl-period" value={form.periodType} onChange={(e) => set('periodType', e.target.value)}>
              {Object.entries(PERIOD_TYPES).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="tpl-scale">評価尺度</label>
            <select id="tpl-scale" value={form.scaleCode} onChange={(e) => set('scaleCode', e.target.value)}>
              {(scales.data ?? []).map((s) => (
                <option key={s.code} value={s.code}>
                  {withSymbols(s)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>承認ルート(上から順に)</legend>
            {STEP_KINDS.map((s) => (
              <label key={s.kind} className="checkbox">
                <input
                  type="checkbox"
                  checked={form.steps[s.kind]}
                  onChange={(e) => set('steps', { ...form.steps, [s.kind]: e.target.checked })}
                />
                {s.label}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="tpl-submit">提出期限(期間終了からの日数)</label>
            <input id="tpl-submit" type="number" min={-60} max={120} value={form.submissionOffsetDays} onChange={(e) => set('submissionOffsetDays', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="tpl-review">確認期限(期間終了からの日数)</label>
            <input id="tpl-review" type="number" min={-60} max={180} value={form.reviewOffsetDays} onChange={(e) => set('reviewOffsetDays', e.target.value)} />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={form.autoOpen} onChange={(e) => set('autoOpen', e.target.checked)} />
            期間が始まったら自動で開始する
          </label>
          <ErrorMessage message={error} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              作成
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
