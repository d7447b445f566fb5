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
                </tr>
              </thead>
              <tbody>
                {allSections
                  .filter((s) => s.departmentId === d.id)
                  .map((s) => (
                    <tr key={s.id}>
                      <td>{s.name}</td>
                      <td>{canEdit ? <RenameForm section={s} onAction={run} /> : null}</td>
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

function HeadPicker({
  department,
  users,
  disabled,
  onAction,
}: {
  department: DepartmentRow;
  users: UserRow[];
  disabled: boolean;
  onAction: RunAction;
}) {
  const id = `head-${department.id}`;
  return (
    <div className="field">
      <label htmlFor={id}>部長(この部の報告の評価者)</label>
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
          return `${section.name}を${from}から「${name.trim()}」にしました。それより前の期間の報告は旧名称のままです。`;
        });
      }}
    >
      <label htmlFor={`rename-${section.id}`}>新しい名称</label>
      <input id={`rename-${section.id}`} value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor={`from-${section.id}`}>適用日</label>
      <input id={`from-${section.id}`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      <button type="submit" className="btn btn-small">変更</button>
    </form>
  );
}
