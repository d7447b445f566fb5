import { useState, type FormEvent } from 'react';
import { PLAN_KIND_LABELS, PLAN_KINDS } from '../../../libs/domain/src/plans/plan-kind';
import { api } from '../api';
import { useActor } from '../auth';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/common';
import { hasRole } from '../format';
import type { PlanDetail, PlanKind } from '../plan-types';
import { Link, navigate } from '../router';
import { useAction, type RunAction } from '../use-action';
import { useLoad } from '../use-load';
import './plans.css';

/** 計画・項目: the plans (公約, 実施計画, 部の目標, 事務事業評価) whose items the cycles report on. */
export function PlansPage() {
  const actor = useActor();
  const canEdit = hasRole(actor.roles, 'planning', 'admin');
  const plans = useLoad(() => api.get<PlanDetail[]>('/plans'), []);
  const { notice, error, run } = useAction(() => plans.reload());
  return (
    <>
      <PageHeader title="計画・項目" />
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error ?? plans.error} />
      <section className="card" aria-labelledby="plan-list">
        <h2 id="plan-list">計画の一覧</h2>
        {!plans.data ? (
          <Loading />
        ) : plans.data.length === 0 ? (
          <Empty>計画はまだありません。下の「計画の作成」から作成してください。</Empty>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">名称</th>
                  <th scope="col">種類</th>
                  <th scope="col" className="num">
                    項目数
                  </th>
                  <th scope="col">項目の属性</th>
                </tr>
              </thead>
              <tbody>
                {plans.data.map((p) => (
                  <tr key={p.id} data-plan-code={p.code}>
                    <td>
                      <Link to={`/plans/${p.id}`}>{p.name}</Link>
                      <div className="small muted">{p.code}</div>
                    </td>
                    <td>{PLAN_KIND_LABELS[p.kind] ?? p.kind}</td>
                    <td className="num">{p.itemCount}</td>
                    <td>{p.itemFields.length ? p.itemFields.map((f) => f.label).join('、') : <span className="muted">なし</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {canEdit ? <NewPlanForm onCreate={run} /> : null}
    </>
  );
}

function NewPlanForm({ onCreate }: { onCreate: RunAction }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<PlanKind>('pledge');
  return (
    <section className="card" aria-labelledby="new-plan">
      <h2 id="new-plan">計画の作成</h2>
      <form
        className="grid-form"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onCreate(async () => {
            const plan = await api.post<PlanDetail>('/plans', { code: code.trim(), name: name.trim(), kind });
            navigate(`/plans/${plan.id}?created=1`);
            return `計画「${plan.name}」を作成しました。`;
          });
        }}
      >
        <div className="field">
          <label htmlFor="plan-name">計画の名称</label>
          <input id="plan-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="令和6年度 事務事業評価" />
        </div>
        <div className="field">
          <label htmlFor="plan-code">計画コード(半角英小文字・数字・ハイフン)</label>
          <input id="plan-code" value={code} onChange={(e) => setCode(e.target.value)} placeholder="jimu-r6" />
        </div>
        <div className="field">
          <label htmlFor="plan-kind">種類</label>
          <select id="plan-kind" value={kind} onChange={(e) => setKind(e.target.value as PlanKind)}>
            {PLAN_KINDS.map((k) => (
              <option key={k} value={k}>
                {PLAN_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            計画を作成
          </button>
        </div>
      </form>
    </section>
  );
}
