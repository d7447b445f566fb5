import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Empty, ErrorMessage, Loading, Notice, PageHeader, StateBadge } from '../components/common';
import { CycleActions } from '../components/cycle-actions';
import { formatDate } from '../format';
import { Link } from '../router';
import type { Cycle, Template } from '../types';
import { useLoad } from '../use-load';
import { TERMS } from '../../../libs/domain/src/glossary/glossary';

function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** サイクル管理: every cycle by template, creation of a period's cycle, and the lifecycle buttons. */
export function CyclesPage() {
  const templates = useLoad(() => api.get<Template[]>('/templates'), []);
  const cycles = useLoad(() => api.get<Cycle[]>('/cycles'), []);
  const [templateId, setTemplateId] = useState<string>('');
  const [date, setDate] = useState(todayIso);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent) {
    e.preventDefault();
    const id = Number(templateId || templates.data?.[0]?.id);
    if (!id) return;
    setBusy(true);
    setError(null);
    try {
      const c = await api.post<Cycle & { created: boolean }>('/cycles', { templateId: id, date });
      setNotice(c.created ? `「${c.label}」を作成しました(準備中)。内容を確認して「開始」してください。` : `「${c.label}」は既にあります。`);
      await cycles.reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const byTemplate = new Map<number, Cycle[]>();
  for (const c of cycles.data ?? []) byTemplate.set(c.templateId, [...(byTemplate.get(c.templateId) ?? []), c]);
  const activeTemplates = (templates.data ?? []).filter((t) => t.active);

  return (
    <>
      <PageHeader title="サイクル管理" />
      <ErrorMessage message={templates.error ?? cycles.error ?? error} />
      <Notice message={notice} kind="success" />

      <section className="card" aria-labelledby="new-cycle">
        <h2 id="new-cycle">サイクルの作成</h2>
        {activeTemplates.length === 0 && templates.data ? (
          <p>
            先に<Link to="/templates">テンプレート</Link>を作成してください。
          </p>
        ) : (
          <form className="inline-form" onSubmit={create}>
            <div className="field">
              <label htmlFor="cycle-template">テンプレート</label>
              <select id="cycle-template" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
                {activeTemplates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="cycle-date">対象期間に含まれる日</label>
              <input id="cycle-date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
            </div>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              作成
            </button>
          </form>
        )}
      </section>

      {cycles.loading && !cycles.data ? <Loading /> : null}
      {cycles.data && cycles.data.length === 0 ? <Empty>サイクルはまだありません。</Empty> : null}
      {[...byTemplate.entries()].map(([tid, rows]) => (
        <section key={tid} className="card" aria-labelledby={`tpl-${tid}`}>
          <h2 id={`tpl-${tid}`}>{templates.data?.find((t) => t.id === tid)?.name ?? `テンプレート ${tid}`}</h2>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">サイクル</th>
                  <th scope="col">状態</th>
                  <th scope="col">{TERMS.submissionDeadline}</th>
                  <th scope="col">{TERMS.reviewDeadline}</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id} data-cycle-id={c.id}>
                    <td>
                      <Link to={`/cycles/${c.id}`}>{c.label}</Link>
                    </td>
                    <td>
                      <StateBadge state={c.state} label={c.stateLabel} />
                    </td>
                    <td>{formatDate(c.submissionDeadline)}</td>
                    <td>{formatDate(c.reviewDeadline)}</td>
                    <td>
                      <CycleActions
                        cycle={c}
                        onDone={async (message) => {
                          setNotice(message);
                          await cycles.reload();
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
