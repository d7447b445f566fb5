import { PASSWORD_MIN_LENGTH } from '../../../libs/domain/src/org/password-policy';
import { ROLES } from '../../../libs/domain/src/org/roles';
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useActor } from '../auth';
import { ErrorMessage, Loading, Notice } from '../components/common';
import { hasRole, ROLE_LABELS } from '../format';
import type { Role, SectionRow, UserRow } from '../types';
import { useAction, type RunAction } from '../use-action';
import { useLoad } from '../use-load';

const ROLE_ORDER: readonly Role[] = ROLES;
const EMPTY = { login: '', name: '', email: '', staffNumber: '', sectionId: '', roles: ['staff'] as Role[], password: '' };

/**
 * 利用者: planning reads who is registered where; administrators also add users, move them
 * between sections and change their roles (April transfers), reset a password and deactivate
 * (the API enforces both).
 */
export function UsersPage() {
  const actor = useActor();
  const admin = hasRole(actor.roles, 'admin');
  const [sectionFilter, setSectionFilter] = useState('');
  const sections = useLoad(() => api.get<SectionRow[]>('/org/sections'), []);
  const users = useLoad(() => api.get<UserRow[]>(`/org/users${sectionFilter ? `?sectionId=${sectionFilter}` : ''}`), [sectionFilter]);
  const { notice, error, run } = useAction(() => users.reload());

  return (
    <>
      <div className="page-header">
        <h1>利用者</h1>
      </div>
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error} />
      <section className="card" aria-labelledby="user-list">
        <h2 id="user-list">登録されている利用者</h2>
        <div className="field">
          <label htmlFor="user-section-filter">課で絞り込む</label>
          <select id="user-section-filter" value={sectionFilter} onChange={(e) => setSectionFilter(e.target.value)}>
            <option value="">すべて</option>
            {(sections.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.departmentName} {s.name}
              </option>
            ))}
          </select>
        </div>
        {users.error ? (
          <ErrorMessage message={users.error} />
        ) : !users.data ? (
          <Loading />
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">ログインID</th>
                  <th scope="col">氏名</th>
                  <th scope="col">所属</th>
                  <th scope="col">役割</th>
                  {admin ? <th scope="col">操作</th> : null}
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id} data-user-login={u.login}>
                    <td>{u.login}</td>
                    <td>{u.name}</td>
                    <td>{u.sectionName ?? '—'}</td>
                    <td>{u.roles.map((r) => ROLE_LABELS[r] ?? r).join('・')}</td>
                    {admin ? (
                      <td>
                        <UserActions user={u} sections={sections.data ?? []} onAction={run} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {admin ? <NewUserForm sections={sections.data ?? []} onCreate={run} /> : null}
    </>
  );
}

function UserActions({ user, sections, onAction }: { user: UserRow; sections: SectionRow[]; onAction: RunAction }) {
  const [mode, setMode] = useState<'none' | 'reset' | 'edit'>('none');
  const resetting = mode === 'reset';
  const [password, setPassword] = useState('');
  const [sectionId, setSectionId] = useState(user.sectionId === null ? '' : String(user.sectionId));
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const setResetting = (on: boolean) => setMode(on ? 'reset' : 'none');
  if (mode === 'edit') {
    return (
      <form
        className="row-form"
        aria-label={`${user.name}の所属と役割`}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onAction(async () => {
            await api.patch(`/org/users/${user.id}`, { sectionId: sectionId ? Number(sectionId) : null, roles });
            setMode('none');
            return `${user.name}さんの所属と役割を変更しました。次の操作から反映されます。`;
          });
        }}
      >
        <label htmlFor={`sec-${user.id}`}>所属課</label>
        <select id={`sec-${user.id}`} value={sectionId} onChange={(e) => setSectionId(e.target.value)}>
          <option value="">なし</option>
          {sections.map((s) => (
            <option key={s.id} value={s.id}>
              {s.departmentName} {s.name}
            </option>
          ))}
        </select>
        {ROLE_ORDER.map((r) => (
          <label key={r} className="checkbox">
            <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
            {ROLE_LABELS[r]}
          </label>
        ))}
        <button type="submit" className="btn btn-small btn-primary">
          保存
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setMode('none')}>
          やめる
        </button>
      </form>
    );
  }
  if (resetting) {
    return (
      <form
        className="row-form"
        aria-label={`${user.name}のパスワード再設定`}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onAction(async () => {
            await api.patch(`/org/users/${user.id}`, { password });
            setResetting(false);
            setPassword('');
            return `${user.name}さんのパスワードを再設定しました。ログイン中の端末はログアウトされます。`;
          });
        }}
      >
        <label htmlFor={`pw-${user.id}`}>新しいパスワード</label>
        <input id={`pw-${user.id}`} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="btn btn-small btn-primary">
          設定
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setResetting(false)}>
          やめる
        </button>
      </form>
    );
  }
  return (
    <div className="button-row">
      <button type="button" className="btn btn-small" onClick={() => setMode('edit')} aria-label={`${user.name}の所属と役割を変更`}>
        所属・役割
      </button>
      <button type="button" className="btn btn-small" onClick={() => setResetting(true)} aria-label={`${user.name}のパスワードを再設定`}>
        パスワード再設定
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-label={`${user.name}のログインのロックを解除`}
        onClick={() =>
          void onAction(async () => {
            await api.post(`/org/users/${user.id}/unlock`, {});
            return `${user.name}さんのログインのロックを解除しました(ロックされていなかった場合も何も変わりません)。`;
          })
        }
      >
        ロック解除
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-label={`${user.name}のセッションを終了`}
        onClick={() => {
          if (!window.confirm(`${user.name}さんをすべての端末からログアウトさせます。よろしいですか?`)) return;
          void onAction(async () => {
            const res = await api.delete<{ ended: number }>(`/org/users/${user.id}/sessions`);
            return `${user.name}さんのログイン中の端末(${res.ended}件)をログアウトしました。`;
          });
        }}
      >
        セッションを終了
      </button>
      <button
        type="button"
        className="btn btn-small btn-danger"
        aria-label={`${user.name}を無効にする`}
        onClick={() => {
          if (!window.confirm(`${user.name}さんを無効にします。ログインできなくなります。よろしいですか?`)) return;
          void onAction(async () => {
            await api.delete(`/org/users/${user.id}`);
            return `${user.name}さんを無効にしました。`;
          });
        }}
      >
        無効にする
      </button>
    </div>
  );
}

function NewUserForm({ sections, onCreate }: { sections: SectionRow[]; onCreate: RunAction }) {
  const [form, setForm] = useState(EMPTY);
  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => setForm((f) => ({ ...f, [key]: value }));
  return (
    <section className="card" aria-labelledby="new-user">
      <h2 id="new-user">利用者の追加</h2>
      <form
        className="grid-form"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onCreate(async () => {
            const created = await api.post<UserRow>('/org/users', {
              login: form.login.trim(),
              name: form.name.trim(),
              email: form.email.trim(),
              ...(form.staffNumber.trim() ? { staffNumber: form.staffNumber.trim() } : {}),
              sectionId: form.sectionId ? Number(form.sectionId) : null,
              roles: form.roles,
              password: form.password,
            });
            setForm(EMPTY);
            return `${created.name}さん(${created.login})を追加しました。`;
          });
        }}
      >
        <div className="field">
          <label htmlFor="user-login">ログインID(半角英小文字・数字・記号 . _ -)</label>
          <input id="user-login" value={form.login} onChange={(e) => set('login', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-name">氏名</label>
          <input id="user-name" value={form.name} onChange={(e) => set('name', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-email">メールアドレス(リマインダーの宛先)</label>
          <input id="user-email" type="email" value={form.email} onChange={(e) => set('email', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-staff-number">職員番号(任意。人事異動のファイルで使います)</label>
          <input id="user-staff-number" value={form.staffNumber} onChange={(e) => set('staffNumber', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="user-section">所属課</label>
          <select id="user-section" value={form.sectionId} onChange={(e) => set('sectionId', e.target.value)}>
            <option value="">なし(部長・企画担当など)</option>
            {sections.map((s) => (
              <option key={s.id} value={s.id}>
                {s.departmentName} {s.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>役割</legend>
          {ROLE_ORDER.map((r) => (
            <label key={r} className="checkbox">
              <input
                type="checkbox"
                checked={form.roles.includes(r)}
                onChange={(e) => set('roles', e.target.checked ? [...form.roles, r] : form.roles.filter((x) => x !== r))}
              />
              {ROLE_LABELS[r]}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="user-password">初期パスワード({PASSWORD_MIN_LENGTH}文字以上)</label>
          <input id="user-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => set('password', e.target.value)} />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            追加
          </button>
        </div>
      </form>
    </section>
  );
}
