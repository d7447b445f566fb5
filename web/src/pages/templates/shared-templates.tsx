import { type ReactNode, useState } from 'react';
import { api } from '../../api';
import { ErrorMessage } from '../../components/common';
import { formatDate } from '../../format';
import type { Plan, SharedTemplate } from '../../types';
import { Link } from '../../router';
import { PERIOD_TYPE_LABELS } from '../../../../libs/domain/src/periods/period';

/**
 * 都道府県の共通テンプレート: what the municipality's prefecture distributes. Adopting one makes
 * the municipality's own template of the same code, scale and form on a plan of its choice; its
 * approval route is then set in the editor (docs/tenancy.md "Prefecture").
 */
export function SharedTemplates({
  shared,
  plans,
  onAdopted,
}: {
  shared: SharedTemplate[];
  plans: Plan[];
  onAdopted: (template: { id: number; name: string }) => void;
}) {
  const theirs = shared.filter((s) => !s.own);
  // Nothing for a municipality whose prefecture distributes none (most installations).
  if (theirs.length === 0) return null;
  return (
    <section className="card" aria-labelledby="shared-templates">
      <h2 id="shared-templates">都道府県の共通テンプレート</h2>
      <p className="muted">採用すると、同じコード・評価尺度・入力項目のテンプレートがこの団体に作られます。承認ルートは採用後に設定してください。</p>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <SharedHeaders />
              <th scope="col">採用</th>
            </tr>
          </thead>
          <tbody>
            {theirs.map((s) => (
              <SharedRow key={s.id} shared={s} plans={plans} onAdopted={onAdopted} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * 配布中の共通テンプレート: a prefecture's own definitions, each at its latest version. Which
 * municipalities adopted one is not shown: that is in their templates, which a prefecture
 * cannot read (row-level security; only their publications are compared).
 */
export function DistributedTemplates({ shared, templates }: { shared: SharedTemplate[]; templates: { id: number; code: string }[] | undefined }) {
  const own = shared.filter((s) => s.own);
  return (
    <section className="card" aria-labelledby="distributed-templates">
      <h2 id="distributed-templates">配布中の共通テンプレート</h2>
      {own.length === 0 ? (
        <p className="muted">配布中の共通テンプレートはありません。テンプレートを開き「市町村へ配布」で管内の市区町村に配布できます。</p>
      ) : (
        <>
          <p className="muted">管内の市区町村が採用できる共通テンプレートです。同じコードで配布し直すと次の版になります。</p>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <SharedHeaders />
                </tr>
              </thead>
              <tbody>
                {own.map((s) => {
                  const source = templates?.find((t) => t.code === s.code);
                  return (
                    <tr key={s.id} data-shared-id={s.id}>
                      <SharedCells shared={s} name={source ? <Link to={`/templates/${source.id}`}>{s.name}</Link> : s.name} />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The columns both lists show of a shared template; each list adds its own after them. */
function SharedHeaders() {
  return (
    <>
      <th scope="col">名称</th>
      <th scope="col">周期</th>
      <th scope="col">評価尺度</th>
      <th scope="col" className="num">
        版
      </th>
      <th scope="col">配布日</th>
    </>
  );
}

function SharedCells({ shared, name }: { shared: SharedTemplate; name: ReactNode }) {
  return (
    <>
      <td>
        {name}
        <div className="small muted">{shared.code}</div>
      </td>
      <td>{PERIOD_TYPE_LABELS[shared.periodType] ?? shared.periodType}</td>
      <td>{shared.scale.name}</td>
      <td className="num">第{shared.version}版</td>
      <td>{formatDate(shared.publishedAt)}</td>
    </>
  );
}

function SharedRow({ shared, plans, onAdopted }: { shared: SharedTemplate; plans: Plan[]; onAdopted: (template: { id: number; name: string }) => void }) {
  const [planId, setPlanId] = useState<number | ''>(plans[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const adopt = async () => {
    setError(null);
    setBusy(true);
    try {
      onAdopted(await api.post<{ id: number; name: string }>(`/shared-templates/${shared.id}/adopt`, { planId }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const select = `adopt-plan-${shared.id}`;
  return (
    <tr>
      <SharedCells shared={shared} name={shared.name} />
      <td>
        {shared.adopted ? (
          '採用済み'
        ) : (
          <>
            <label htmlFor={select} className="visually-hidden">
              {shared.name}を採用する計画
            </label>
            <select id={select} value={planId} onChange={(e) => setPlanId(Number(e.target.value))}>
              {plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>{' '}
            <button type="button" className="btn btn-small" disabled={busy || planId === ''} onClick={() => void adopt()}>
              採用
            </button>
            <ErrorMessage message={error} />
          </>
        )}
      </td>
    </tr>
  );
}
