import { useState, type FormEvent } from 'react';
import { PLAN_KIND_LABELS, PLAN_KINDS } from '../../../libs/domain/src/plans/plan-kind';
import { api } from '../api';
import { useActor } from '../auth';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/common';
import { ItemFieldsBuilder } from '../components/item-fields-builder';
import { ItemImport } from '../components/item-import';
import { hasRole, itemNumber } from '../format';
import type { PlanDetail, PlanItem, PlanKind } from '../plan-types';
import { Link } from '../router';
import { useAction, type RunAction } from '../use-action';
import { useLoad } from '../use-load';
import './plans.css';

/** One plan: its settings, the attributes its items have, its items, and the file import. */
export function PlanPage({ id, query }: { id: number; query: URLSearchParams }) {
  const actor = useActor();
  const canEdit = hasRole(actor.roles, 'planning', 'admin');
  const plan = useLoad(() => api.get<PlanDetail>(`/plans/${id}`), [id]);
  const items = useLoad(() => api.get<PlanItem[]>(`/plans/${id}/items`), [id]);
  const { notice, error, run } = useAction(() => Promise.all([plan.reload(), items.reload()]));

  if (plan.error) return <ErrorMessage message={plan.error} />;
  if (!plan.data) return <Loading />;
  const p = plan.data;
  return (
    <>
      <div className="breadcrumb">
        <Link to="/plans">計画・項目</Link>
      </div>
      <PageHeader title={p.name}>
        {canEdit ? (
          <Link className="btn btn-primary" to={`/plans/${id}/items/new`}>
            項目を追加
          </Link>
        ) : null}
      </PageHeader>
      <Notice
        message={notice ?? (query.get('created') ? `計画「${p.name}」を作成しました。項目の属性を定義し、項目を追加してください。` : null)}
        kind="success"
      />
      <ErrorMessage message={error} />
      {canEdit ? <PlanSettings plan={p} onAction={run} /> : null}
      <section className="card" aria-labelledby="plan-items">
        <h2 id="plan-items">項目({p.itemCount}件)</h2>
        <ErrorMessage message={items.error} />
        {!items.data ? <Loading /> : items.data.length === 0 ? <Empty>項目はまだありません。</Empty> : <ItemTable items={items.data} canEdit={canEdit} />}
      </section>
      {canEdit ? <ItemImport planId={id} onImported={() => Promise.all([plan.reload(), items.reload()])} /> : null}
      {/* Not remounted on save: unsaved edits survive saving the settings; saves send the version read last. */}
      <ItemFieldsBuilder plan={p} disabled={!canEdit} onAction={run} />
    </>
  );
}

function ItemTable({ items, canEdit }: { items: PlanItem[]; canEdit: boolean }) {
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th scope="col" className="num">
              番号
            </th>
            <th scope="col">章</th>
            <th scope="col">名称</th>
            <th scope="col">所管課</th>
            <th scope="col">指標</th>
            {canEdit ? (
              <th scope="col" className="actions">
                操作
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id} data-item-id={i.id}>
              <td className="num">{itemNumber(i.number, i.subNumber)}</td>
              <td>{i.chapter ?? ''}</td>
              <td>{i.title}</td>
              <td>{i.sections.map((s) => s.sectionName).join('・')}</td>
              <td>{i.kpis.map((k) => k.name).join('、')}</td>
              {canEdit ? (
                <td className="actions">
                  <Link className="btn btn-small" to={`/plans/${i.planId}/items/${i.id}`} aria-label={`${itemNumber(i.number, i.subNumber)} ${i.title}を編集`}>
                    編集
                  </Link>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PlanSettings({ plan, onAction }: { plan: PlanDetail; onAction: RunAction }) {
  const [name, setName] = useState(plan.name);
  const [kind, setKind] = useState<PlanKind>(plan.kind);
  return (
    <section className="card" aria-labelledby="plan-settings">
      <h2 id="plan-settings">計画の設定</h2>
      <form
        className="row-form"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onAction(async () => {
            await api.patch(`/plans/${plan.id}`, { name: name.trim(), kind, version: plan.version });
            return `計画「${name.trim()}」の設定を保存しました。`;
          });
        }}
      >
        <label htmlFor="plan-edit-name">名称</label>
        <input id="plan-edit-name" value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="plan-edit-kind">種類</label>
        <select id="plan-edit-kind" value={kind} onChange={(e) => setKind(e.target.value as PlanKind)}>
          {PLAN_KINDS.map((k) => (
            <option key={k} value={k}>
              {PLAN_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <span className="small muted">コード {plan.code}</span>
        <button type="submit" className="btn btn-small">
          設定を保存
        </button>
      </form>
    </section>
  );
}
