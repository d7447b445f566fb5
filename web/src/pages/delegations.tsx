import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { APPROVAL_STEP_KIND_LABELS, APPROVAL_STEP_KINDS, type ApprovalStepKind } from '../../../libs/domain/src/workflow/approval-steps';
import { delegationScopeText } from '../../../libs/domain/src/workflow/delegation';
import { tokyoToday } from '../../../libs/domain/src/calendar/tokyo-date';
import { api } from '../api';
import { useActor } from '../auth';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/common';
import { formatDate, formatDateTime, hasRole } from '../format';
import type { Delegation, Delegations, DirectoryPerson } from '../types';
import { useAction } from '../use-action';
import { useLoad } from '../use-load';

/**
 * 代理設定: who may approve in my name (代決) and for whom I may; delegations recorded in
 * someone's name wait here for them (or their superior) to confirm.
 */
export function DelegationsPage() {
  const actor = useActor();
  const { data, error, loading, reload } = useLoad(() => api.get<Delegations>('/delegations'), []);
  const action = useAction(reload);
  const forOthers = hasRole(actor.roles, 'planning', 'admin');

  const confirm = (d: Delegation) =>
    action.run(async () => {
      await api.post(`/delegations/${d.id}/confirm`, {});
      return `${d.fromUserName}さんの代理設定（代理者 ${d.toUserName}さん）を確認し、有効にしました`;
    });
  const revoke = (d: Delegation, what: string) => {
    if (!window.confirm(`${what}ます。よろしいですか?`)) return;
    void action.run(async () => {
      await api.delete(`/delegations/${d.id}`);
      return `${what}ました`;
    });
  };

  return (
    <>
      <PageHeader title="代理設定（代決）" />
      <ErrorMessage message={error ?? action.error} />
      <Notice message={action.notice} kind="success" />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          {data.toConfirm.length || data.given.some((d) => d.mayConfirm) ? (
            <section className="card" aria-labelledby="dl-confirm">
              <h2 id="dl-confirm">確認が必要な代理設定</h2>
              <p className="muted">
                他の職員が登録した代理設定は、代理元の本人またはその上司が確認するまで有効になりません。心当たりがなければ取り消してください。
              </p>
              <DelegationTable
                rows={[...data.given.filter((d) => d.mayConfirm), ...data.toConfirm]}
                who="both"
                actions={(d) => (
                  <>
                    <button type="button" className="btn btn-small btn-primary" onClick={() => void confirm(d)}>
                      確認
                    </button>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => revoke(d, 'この代理設定を取り消し')}>
                      取消
                    </button>
                  </>
                )}
              />
            </section>
          ) : null}
          <NewDelegation forOthers={forOthers} onSaved={(message) => void action.run(async () => message)} />
          <section className="card" aria-labelledby="dl-given">
            <h2 id="dl-given">自分の承認を代決できる人</h2>
            <DelegationTable
              rows={data.given}
              who="delegate"
              empty="代理設定はありません。"
              actions={(d) =>
                d.mayRevoke && d.state !== 'revoked' && d.state !== 'ended' ? (
                  <button type="button" className="btn btn-small" onClick={() => revoke(d, `${d.toUserName}さんへの代理設定を取り消し`)}>
                    取消
                  </button>
                ) : null
              }
            />
          </section>
          <section className="card" aria-labelledby="dl-received">
            <h2 id="dl-received">自分が代決できる承認</h2>
            <DelegationTable
              rows={data.received}
              who="principal"
              empty="代決を任されている承認はありません。"
              actions={(d) =>
                d.mayRevoke && d.state !== 'revoked' && d.state !== 'ended' ? (
                  <button type="button" className="btn btn-small" onClick={() => revoke(d, `${d.fromUserName}さんからの代理を辞退し`)}>
                    辞退
                  </button>
                ) : null
              }
            />
          </section>
          {forOthers ? (
            <section className="card" aria-labelledby="dl-recorded">
              <h2 id="dl-recorded">自分が他の職員の名義で登録した代理設定</h2>
              <DelegationTable rows={data.recorded} who="both" empty="ありません。" />
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function DelegationTable({
  rows,
  who,
  empty,
  actions,
}: {
  rows: Delegation[];
  who: 'delegate' | 'principal' | 'both';
  empty?: string;
  actions?: (d: Delegation) => ReactNode;
}) {
  if (!rows.length) return empty ? <Empty>{empty}</Empty> : null;
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            {who !== 'delegate' ? <th scope="col">代理元</th> : null}
            {who !== 'principal' ? <th scope="col">代理者</th> : null}
            <th scope="col">期間</th>
            <th scope="col">範囲</th>
            <th scope="col">状態</th>
            <th scope="col">理由</th>
            <th scope="col">登録・確認</th>
            {actions ? <th scope="col">操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-delegation={d.id}>
              {who !== 'delegate' ? <td>{d.fromUserName}</td> : null}
              {who !== 'principal' ? <td>{d.toUserName}</td> : null}
              <td>
                {formatDate(d.startsOn)} 〜 {formatDate(d.endsOn)}
              </td>
              <td>{delegationScopeText({ cycleLabel: d.cycleLabel, stepKind: d.stepKind })}</td>
              <td>
                <span className={`badge delegation-${d.state}`}>{d.stateLabel}</span>
              </td>
              <td>
                {d.reason ?? '—'}
                {d.continueAfterTransfer ? <div className="small">人事異動の後も継続</div> : null}
              </td>
              <td className="small">
                登録 {d.createdByName ?? '—'}（{formatDateTime(d.createdAt)}）
                {d.confirmedByName && d.confirmedBy !== d.createdBy ? <div>確認 {d.confirmedByName}</div> : null}
              </td>
              {actions ? <td className="actions">{actions(d)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NewDelegation({ forOthers, onSaved }: { forOthers: boolean; onSaved: (message: string) => void }) {
  const actor = useActor();
  const today = tokyoToday();
  const [fromUserId, setFromUserId] = useState<number>(actor.id);
  const [toUserId, setToUserId] = useState<number | null>(null);
  // The people picked stay in their lists while the search below changes.
  const [picked, setPicked] = useState<DirectoryPerson[]>([]);
  const [startsOn, setStartsOn] = useState(today);
  const [endsOn, setEndsOn] = useState(today);
  const [stepKind, setStepKind] = useState<ApprovalStepKind | ''>('');
  const [reason, setReason] = useState('');
  const [carryOver, setCarryOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<DirectoryPerson[]>([]);

  useEffect(() => {
    const timer = setTimeout(() => {
      api
        .get<DirectoryPerson[]>(`/org/users/directory?q=${encodeURIComponent(query)}`)
        .then(setPeople)
        .catch(() => setPeople([]));
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!toUserId) return setError('代理者を選んでください');
    setBusy(true);
    try {
      const saved = await api.post<Delegation>('/delegations', {
        ...(fromUserId !== actor.id ? { fromUserId } : {}),
        toUserId,
        startsOn,
        endsOn,
        ...(stepKind ? { stepKind } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(carryOver ? { continueAfterTransfer: true } : {}),
      });
      onSaved(
        saved.state === 'pending'
          ? `${saved.fromUserName}さんの名義で登録しました。${saved.fromUserName}さん（またはその上司）が確認すると有効になります（確認依頼のメールを送ります）`
          : `${saved.toUserName}さんが${formatDate(saved.startsOn)}から${formatDate(saved.endsOn)}まで代決できるようにしました`,
      );
      setToUserId(null);
      setReason('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const known = [...picked.filter((p) => !people.some((q) => q.id === p.id)), ...people];
  const pick = (id: number) => {
    const person = known.find((p) => p.id === id);
    if (person && !picked.some((p) => p.id === id)) setPicked([...picked, person]);
  };
  const options = known.filter((p) => p.id !== fromUserId);
  return (
    <section className="card" aria-labelledby="dl-new">
      <h2 id="dl-new">代理設定を追加</h2>
      <form className="grid-form" onSubmit={onSubmit} noValidate>
        <ErrorMessage message={error} />
        <div className="field">
          <label htmlFor="dl-search">職員を検索（氏名・課名）</label>
          <input id="dl-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="例: 経営企画課" />
        </div>
        {forOthers ? (
          <div className="field">
            <label htmlFor="dl-from">代理元（承認を任せる人）</label>
            <select
              id="dl-from"
              value={fromUserId}
              onChange={(e) => {
                setFromUserId(Number(e.target.value));
                pick(Number(e.target.value));
              }}
            >
              <option value={actor.id}>自分（{actor.name}）</option>
              {known
                .filter((p) => p.id !== actor.id)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}（{p.sectionName ?? '所属なし'}）
                  </option>
                ))}
            </select>
            <p className="hint">他の職員の名義で登録した代理設定は、本人またはその上司が確認するまで有効になりません。自分を代理者にはできません。</p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="dl-to">代理者（代決する人）</label>
          <select
            id="dl-to"
            value={toUserId ?? ''}
            onChange={(e) => {
              setToUserId(e.target.value ? Number(e.target.value) : null);
              if (e.target.value) pick(Number(e.target.value));
            }}
            required
          >
            <option value="">選んでください</option>
            {options.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}（{p.sectionName ?? '所属なし'}）
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dl-starts">開始日</label>
          <input id="dl-starts" type="date" value={startsOn} min={today} onChange={(e) => setStartsOn(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="dl-ends">終了日</label>
          <input id="dl-ends" type="date" value={endsOn} min={startsOn} onChange={(e) => setEndsOn(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="dl-step">範囲（段階）</label>
          <select id="dl-step" value={stepKind} onChange={(e) => setStepKind(e.target.value as ApprovalStepKind | '')}>
            <option value="">すべての段階</option>
            {APPROVAL_STEP_KINDS.map((k) => (
              <option key={k} value={k}>
                {APPROVAL_STEP_KIND_LABELS[k]}の段階のみ
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dl-reason">理由</label>
          <input id="dl-reason" type="text" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="例: 出張のため" />
        </div>
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" checked={carryOver} onChange={(e) => setCarryOver(e.target.checked)} /> 人事異動の後も続ける
          </label>
          <p className="hint">チェックしないと、代理元か代理者の人事異動が発令された日に終了します。</p>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            登録
          </button>
        </div>
      </form>
    </section>
  );
}
