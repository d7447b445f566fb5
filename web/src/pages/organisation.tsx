import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useActor } from '../auth';
import { ErrorMessage, Loading, Notice } from '../components/common';
import { hasRole } from '../format';
import type { DepartmentRow, SectionRow, UserRow } from '../types';
import { useAction, type RunAction } from '../use-action';
import { useLoad } from '../use-load';

/**
 * 組織: who heads each department (the default evaluator of its sections' reports) and the
 * sections' names, renamed with the date the new name applies from (past reports keep the old).
 */
export function OrganisationPage() {
  const actor = useActor();
  const canEdit = hasRole(actor.roles, 'planning', 'admin');
  const departments = useLoad(() => api.get<DepartmentRow[]>('/org/departments'), []);
  const sections = useLoad(() => api.get<SectionRow[]>('/org/sections'), []);
  const users = useLoad(() => api.get<UserRow[]>('/org/users'), []);
  const { notice, error, run } = useAction(() => Promise.all([departments.reload(), sections.reload()]));

  if (departments.error || sections.error) return <ErrorMessage message={departments.error ?? sections.error} />;
  if (!departments.data || !sections.data) return <Loading />;
  const allSections = sections.data;
  return (
    <>
      <div className="page-header">
        <h1>組織</h1>
      </div>
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error} />
      {departments.data.map((d) => (
        <section key={d.id} className="card" aria-labelledby={`dept-${d.id}`}>
          <h2 id={`dept-${d.id}`}>{d.name}</h2>
          <HeadPicker department={d} users={users.data ?? []} disabled={!canEdit} onAction={run} />
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">課</th>
                  <th scope="col">名称の変更</th>
                  <th scope="col">統合</th>
                </tr>
              </thead>
              <tbody>
                {allSections
                  .filter((s) => s.departmentId === d.id)
                  .map((s) => (
                    <tr key={s.id}>
                      <td>{s.name}</td>
                      <td>{canEdit ? <RenameForm section={s} onAction={run} /> : null}</td>
                      <td>{canEdit ? <MergeForm section={s} sections={allSections} onAction={run} /> : null}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          {canEdit ? <NewSectionForm department={d} onAction={run} /> : null}
        </section>
      ))}
      {canEdit ? <NewDepartmentForm onAction={run} /> : null}
    </>
  );
}

function NewDepartmentForm({ onAction }: { onAction: RunAction }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  return (
    <section className="card" aria-labelledby="new-department">
      <h2 id="new-department">部の追加</h2>
      <form
        className="row-form"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onAction(async () => {
            await api.post('/org/departments', { code: code.trim(), name: name.trim() });
            setCode('');
            setName('');
            return `「${name.trim()}」を追加しました。部長と課を設定してください。`;
          });
        }}
      >
        <label htmlFor="new-dept-code">部コード</label>
        <input id="new-dept-code" value={code} onChange={(e) => setCode(e.target.value)} />
        <label htmlFor="new-dept-name">部の名称</label>
        <input id="new-dept-name" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn btn-small">
          部を追加
        </button>
      </form>
    </section>
  );
}

/** A section that starts existing on a date (its first name's validity). */
function NewSectionForm({ department, onAction }: { department: DepartmentRow; onAction: RunAction }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [from, setFrom] = useState('');
  return (
    <form
      className="row-form"
      noValidate
      aria-label={`${department.name}に課を追加`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onAction(async () => {
          await api.post('/org/sections', { departmentId: department.id, code: code.trim(), name: name.trim(), ...(from ? { validFrom: from } : {}) });
          setCode('');
          setName('');
          setFrom('');
          return `${department.name}に「${name.trim()}」を追加しました。`;
        });
      }}
    >
      <label htmlFor={`new-code-${department.id}`}>課コード</label>
      <input id={`new-code-${department.id}`} value={code} onChange={(e) => setCode(e.target.value)} />
      <label htmlFor={`new-name-${department.id}`}>課の名称</label>
      <input id={`new-name-${department.id}`} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`new-from-${department.id}`}>設置日</label>
      <input id={`new-from-${department.id}`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      <button type="submit" className="btn btn-small">
        課を追加
      </button>
    </form>
  );
}

/** Retires a section into another from a date: its items move, its past entries stay its own. */
function MergeForm({ section, sections, onAction }: { section: SectionRow; sections: SectionRow[]; onAction: RunAction }) {
  const [into, setInto] = useState('');
  const [from, setFrom] = useState('');
  const target = sections.find((s) => String(s.id) === into);
  return (
    <form
      className="row-form"
      noValidate
      aria-label={`${section.name}の統合`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (!window.confirm(`${section.name}を${target?.name ?? '選んだ課'}に統合します。元に戻せません。よろしいですか?`)) return;
        void onAction(async () => {
          const res = await api.post<{ movedItems: number }>(`/org/sections/${section.id}/merge`, {
            intoSectionId: into ? Number(into) : undefined,
            effectiveFrom: from,
          });
          return `${section.name}を${target?.name ?? ''}に統合しました(担当項目 ${res.movedItems} 件を移しました)。過去のエントリーは${section.name}のままです。`;
        });
      }}
    >
      <label htmlFor={`merge-${section.id}`}>統合先</label>
      <select id={`merge-${section.id}`} value={into} onChange={(e) => setInto(e.target.value)}>
        <option value="">選んでください</option>
        {sections
          .filter((s) => s.id !== section.id)
          .map((s) => (
            <option key={s.id} value={s.id}>
              {s.departmentName} {s.name}
            </option>
          ))}
      </select>
      <label htmlFor={`merge-from-${section.id}`}>統合日</label>
      <input id={`merge-from-${section.id}`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      <button type="submit" className="btn btn-small btn-danger">
        統合
      </button>
    </form>
  );
}

function HeadPicker({ department, users, disabled, onAction }: { department: DepartmentRow; users: UserRow[]; disabled: boolean; onAction: RunAction }) {
  const id = `head-${department.id}`;
  return (
    <div className="field">
      <label htmlFor={id}>部長(この部のエントリーの評価者)</label>
      <select
        id={id}
        disabled={disabled}
        value={department.headUserId ?? ''}
        onChange={(e) => {
          const headUserId = e.target.value ? Number(e.target.value) : null;
          void onAction(async () => {
            await api.patch(`/org/departments/${department.id}`, { headUserId });
            const name = users.find((u) => u.id === headUserId)?.name;
            return name ? `${department.name}の部長を${name}さんにしました。` : `${department.name}の部長を未設定にしました。`;
          });
        }}
      >
        <option value="">未設定</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}({u.login})
          </option>
        ))}
      </select>
    </div>
  );
}

function RenameForm({ section, onAction }: { section: SectionRow; onAction: RunAction }) {
  const [name, setName] = useState('');
  const [from, setFrom] = useState('');
  return (
    <form
      className="row-form"
      noValidate
      aria-label={`${section.name}の名称変更`}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void onAction(async () => {
          await api.post(`/org/sections/${section.id}/rename`, { name: name.trim(), effectiveFrom: from });
          setName('');
          setFrom('');
          return `${section.name}を${from}から「${name.trim()}」にしました。それより前の期間のエントリーは旧名称のままです。`;
        });
      }}
    >
      <label htmlFor={`rename-${section.id}`}>新しい名称</label>
      <input id={`rename-${section.id}`} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`from-${section.id}`}>適用日</label>
      <input id={`from-${section.id}`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      <button type="submit" className="btn btn-small">
        変更
      </button>
    </form>
  );
}
