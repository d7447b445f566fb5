import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorMessage, Loading, Notice, PageHeader } from '../components/common';
import { AttributeInputs } from '../components/item-attribute-inputs';
import { KpisEditor } from '../components/item-kpis-editor';
import { ItemSectionsEditor } from '../components/item-sections-editor';
import { eraYearLabel } from '../fiscal-years';
import { itemNumber } from '../format';
import { bodyOf, draftOf, type ItemDraft } from '../item-draft';
import type { PlanDetail, PlanItem } from '../plan-types';
import { Link, navigate } from '../router';
import type { SectionRow, UserRow } from '../types';
import { useLoad } from '../use-load';
import './plans.css';
import { useFocusFirstInvalid } from '../focus-invalid';

/** Creates (itemId null) or edits one item of a plan. */
export function ItemEditPage({ planId, itemId, query }: { planId: number; itemId: number | null; query: URLSearchParams }) {
  const plan = useLoad(() => api.get<PlanDetail>(`/plans/${planId}`), [planId]);
  const item = useLoad(() => (itemId ? api.get<PlanItem>(`/items/${itemId}`) : Promise.resolve(null)), [itemId]);
  const sections = useLoad(() => api.get<SectionRow[]>('/org/sections'), []);
  const users = useLoad(() => api.get<UserRow[]>('/org/users'), []);
  const failed = plan.error ?? item.error ?? sections.error ?? users.error;
  if (failed) return <ErrorMessage message={failed} />;
  if (!plan.data || item.data === undefined || !sections.data || !users.data) return <Loading />;
  if (item.data && item.data.planId !== planId) return <ErrorMessage message={`項目 ${item.data.id} はこの計画の項目ではありません`} />;
  return (
    <ItemForm
      key={itemId ?? 'new'}
      plan={plan.data}
      item={item.data}
      sections={sections.data.filter((s) => s.active)}
      users={users.data.filter((u) => u.active)}
      created={!!query.get('created')}
    />
  );
}

function ItemForm({
  plan,
  item: initial,
  sections,
  users,
  created,
}: {
  plan: PlanDetail;
  item: PlanItem | null;
  sections: SectionRow[];
  users: UserRow[];
  created: boolean;
}) {
  const fields = plan.itemFields;
  const [item, setItem] = useState(initial);
  const [draft, setDraft] = useState<ItemDraft>(() => draftOf(initial, fields));
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(created && item ? `項目「${item.title}」を作成しました。` : null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ItemDraft>(key: K, value: ItemDraft[K]) => setDraft({ ...draft, [key]: value });
  const retired = Object.keys(item?.retiredAttributes ?? {});

  const invalid = useFocusFirstInvalid<HTMLFormElement>();

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const body = bodyOf(draft, fields);
      if (item) {
        const saved = await api.patch<PlanItem>(`/items/${item.id}`, { ...body, version: item.version });
        setItem(saved);
        setDraft(draftOf(saved, fields));
        setNotice(`項目「${saved.title}」を保存しました。`);
      } else {
        const saved = await api.post<PlanItem>(`/plans/${plan.id}/items`, body);
        navigate(`/plans/${plan.id}/items/${saved.id}?created=1`);
      }
    } catch (err) {
      setError((err as Error).message);
      invalid.request();
    } finally {
      setBusy(false);
    }
  }

  const text = (key: 'number' | 'subNumber' | 'chapter' | 'category' | 'title' | 'targetDateText', label: string, placeholder?: string) => (
    <div className="field">
      <label htmlFor={`item-${key}`}>{label}</label>
      <input id={`item-${key}`} value={draft[key]} placeholder={placeholder} onChange={(e) => set(key, e.target.value)} />
    </div>
  );
  const first = draft.years[0];
  const last = draft.years[draft.years.length - 1];
  return (
    <>
      <div className="breadcrumb">
        <Link to="/plans">計画・項目</Link> › <Link to={`/plans/${plan.id}`}>{plan.name}</Link>
      </div>
      <PageHeader title={item ? `${itemNumber(item.number, item.subNumber)} ${item.title}` : '項目の追加'} />
      <Notice message={notice} kind="success" />
      <form ref={invalid.ref} className="item-form" noValidate onSubmit={save} aria-label={item ? '項目の編集' : '項目の追加'}>
        <section className="card" aria-labelledby="item-basics">
          <h2 id="item-basics">基本情報</h2>
          <div className="grid-form">
            {text('number', '番号', '1')}
            {text('subNumber', '枝番', '①')}
            {text('chapter', '章', '第1章 子育て')}
            {text('category', '分類')}
            {text('title', '名称')}
            {text('targetDateText', '目標期日', 'R6.10、未定など')}
            <div className="field">
              <label htmlFor="item-evaluator">評価者(空欄は部長)</label>
              <select id="item-evaluator" value={draft.evaluatorUserId} onChange={(e) => set('evaluatorUserId', e.target.value)}>
                <option value="">部長(既定)</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}({u.login})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="item-budget">予算額(千円)</label>
              <input id="item-budget" inputMode="numeric" value={draft.budgetThousandYen} onChange={(e) => set('budgetThousandYen', e.target.value)} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="item-content">内容</label>
            <textarea id="item-content" rows={4} value={draft.content} onChange={(e) => set('content', e.target.value)} />
          </div>
        </section>
        <section className="card" aria-labelledby="item-sections">
          <h2 id="item-sections">所管課</h2>
          <ItemSectionsEditor sections={sections} value={draft.sections} onChange={(v) => set('sections', v)} />
        </section>
        <section className="card" aria-labelledby="item-years">
          <h2 id="item-years">年度</h2>
          <p className="small muted">目標値と年度ごとの属性を入力する年度: {draft.years.map(eraYearLabel).join('、')}</p>
          <div className="button-row">
            <button type="button" className="btn btn-small" onClick={() => set('years', [first - 1, ...draft.years])}>
              前の年度({eraYearLabel(first - 1)})を追加
            </button>
            <button type="button" className="btn btn-small" onClick={() => set('years', [...draft.years, last + 1])}>
              次の年度({eraYearLabel(last + 1)})を追加
            </button>
          </div>
        </section>
        <section className="card" aria-labelledby="item-kpis">
          <h2 id="item-kpis">指標(KPI)</h2>
          <KpisEditor kpis={draft.kpis} years={draft.years} onChange={(v) => set('kpis', v)} />
        </section>
        <section className="card" aria-labelledby="item-attributes">
          <h2 id="item-attributes">項目の属性</h2>
          <AttributeInputs
            fields={fields}
            values={draft.attributes}
            years={draft.years}
            onChange={(key, v) => set('attributes', { ...draft.attributes, [key]: v })}
          />
          {retired.length ? (
            <p className="small muted">定義から外された属性の値(保存されたまま、同じキーで定義し直すと戻ります): {retired.join('、')}</p>
          ) : null}
        </section>
        <ErrorMessage message={error} />
        <div className="form-actions item-actions">
          <Link to={`/plans/${plan.id}`}>計画へ戻る</Link>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {item ? '保存' : '項目を作成'}
          </button>
        </div>
      </form>
    </>
  );
}
