import { useState, type FormEvent } from 'react';
import {
  LOGO_TYPE_LABELS,
  LOGO_TYPES,
  MAX_LOGO_BYTES,
  TENANT_PROFILE_LABELS,
  tenantProfileProblems,
  type TenantProfileField,
} from '../../../libs/domain/src/org/tenant-profile';
import { api, ApiError, upload } from '../api';
import type { components } from '../api-types.gen';
import { ErrorMessage, Loading, Notice, PageHeader } from '../components/common';
import { useFocusFirstInvalid } from '../focus-invalid';
import { formatDateTime } from '../format';
import { refreshSystemInfo } from '../system-info';
import { useLoad } from '../use-load';
import './tenant-settings.css';

type TenantProfile = components['schemas']['TenantProfileDto'];
type Draft = Record<TenantProfileField, string>;

const EDITABLE: { field: TenantProfileField; required?: boolean; type?: string; autoComplete?: string; hint?: string }[] = [
  { field: 'name', required: true, hint: '画面の上部、メール、公開サイトに表示されます' },
  { field: 'mailFrom', hint: '例: 入間市 評価サイクル <hyoka@city.iruma.lg.jp>（空欄ならシステムの設定値）' },
  { field: 'contactName', hint: 'メールの末尾と公開サイトに載る問い合わせ先（例: 政策推進担当）' },
  { field: 'contactPhone', type: 'tel', autoComplete: 'off', hint: '例: 04-2964-1111' },
  { field: 'contactEmail', type: 'email', autoComplete: 'off' },
];

function draftOf(p: TenantProfile): Draft {
  return { name: p.name, mailFrom: p.mailFrom ?? '', contactName: p.contactName ?? '', contactPhone: p.contactPhone ?? '', contactEmail: p.contactEmail ?? '' };
}

/**
 * 団体設定 (administrators): the municipality's own name, mail sender, contact and logo. The
 * 地方公共団体コード is shown, never edited. Every save sends the version read: another
 * administrator's save in between is a 409, and the page offers to reload.
 */
export function TenantSettingsPage() {
  const loaded = useLoad(() => api.get<TenantProfile>('/org/tenant'), []);
  const [notice, setNotice] = useState<string | null>(null);
  const profile = loaded.data;
  if (loaded.error && !profile) return <ErrorMessage message={loaded.error} />;
  if (!profile) return <Loading />;
  return (
    <div className="tenant-settings">
      <PageHeader title="団体設定" />
      {/* A new form per version: what was saved (or reloaded) is what it shows. */}
      <Notice message={notice} kind="success" />
      <ProfileForm
        key={profile.version}
        profile={profile}
        onSaved={(p, message) => {
          setNotice(message);
          loaded.setData(p);
        }}
        onChanging={() => setNotice(null)}
        onReload={loaded.reload}
      />
    </div>
  );
}

function ProfileForm({
  profile,
  onSaved,
  onChanging,
  onReload,
}: {
  profile: TenantProfile;
  onSaved: (p: TenantProfile, message: string) => void;
  onChanging: () => void;
  onReload: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(profile));
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const invalid = useFocusFirstInvalid<HTMLFormElement>();

  // The header shows the new name and logo; the page mounts a new form for the new version.
  const saved = async (p: TenantProfile, message: string) => {
    await refreshSystemInfo();
    onSaved(p, message);
  };

  const fail = (err: unknown) => {
    const e = err as ApiError;
    setStale(e instanceof ApiError && e.status === 409);
    setError(e.message);
    if (e instanceof ApiError) setErrors(e.fieldErrors());
    invalid.request();
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    onChanging();
    const changed: Partial<Record<TenantProfileField, string | null>> = {};
    const before = draftOf(profile);
    for (const { field } of EDITABLE)
      if (draft[field].trim() !== before[field]) changed[field] = draft[field].trim() === '' && field !== 'name' ? null : draft[field];
    const problems = tenantProfileProblems(changed);
    setErrors(Object.fromEntries(problems.map((p) => [p.field, p.message])));
    if (problems.length) {
      setError(problems.map((p) => p.message).join(' / '));
      return invalid.request();
    }
    if (!Object.keys(changed).length) return setNotice('変更はありません');
    setBusy(true);
    try {
      await saved(await api.patch<TenantProfile>('/org/tenant', { version: profile.version, ...changed }), '団体の設定を保存しました');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function uploadLogo() {
    setError(null);
    setNotice(null);
    onChanging();
    if (!file) return fail(new ApiError(422, 'ロゴの画像ファイルを選んでください', { field: 'file' }));
    if (file.size > MAX_LOGO_BYTES) return fail(new ApiError(422, `ファイルが大きすぎます（上限 ${MAX_LOGO_BYTES / 1024} KB）`, { field: 'file' }));
    setBusy(true);
    try {
      await saved(await upload<TenantProfile>('/org/tenant/logo', file, { version: String(profile.version) }), 'ロゴを登録しました');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function removeLogo() {
    setError(null);
    onChanging();
    setBusy(true);
    try {
      await saved(await api.delete<TenantProfile>(`/org/tenant/logo?version=${profile.version}`), 'ロゴを削除しました');
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  const marks = (field: string) => (errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `tenant-${field}-error` } : {});

  return (
    <>
      <form ref={invalid.ref} className="card tenant-form" onSubmit={onSubmit} noValidate aria-label="団体の設定">
        <ErrorMessage message={error} id="tenant-error" />
        {stale ? (
          <p>
            <button type="button" className="btn btn-small" onClick={() => void onReload()}>
              最新の内容を読み込む
            </button>
          </p>
        ) : null}
        <Notice message={notice} kind="success" />
        {!profile.inEffect ? (
          <Notice message="いまはシステムの設定ファイルの団体名・差出人・問い合わせ先が使われています。ここで保存すると、以後はこの画面の内容が使われます。" />
        ) : null}
        <div className="field">
          <span className="field-label">{TENANT_PROFILE_LABELS.code}</span>
          <p className="code-value" aria-label={TENANT_PROFILE_LABELS.code}>
            {profile.code ?? '（未設定）'}
          </p>
          <p className="muted small">団体コードは変更できません（変更はシステムの運用者に依頼してください）。</p>
        </div>
        {EDITABLE.map(({ field, required, type, autoComplete, hint }) => (
          <div className="field" key={field}>
            <label htmlFor={`tenant-${field}`}>
              {TENANT_PROFILE_LABELS[field]}
              <span className={required ? 'required' : 'optional'}>{required ? '必須' : '任意'}</span>
            </label>
            {hint ? <p className="muted small">{hint}</p> : null}
            <input
              id={`tenant-${field}`}
              name={field}
              type={type ?? 'text'}
              autoComplete={autoComplete ?? 'off'}
              required={required}
              value={draft[field]}
              onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
              {...marks(field)}
            />
            {errors[field] ? (
              <p className="field-error" id={`tenant-${field}-error`}>
                {errors[field]}
              </p>
            ) : null}
          </div>
        ))}
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? '保存中…' : '保存'}
          </button>
        </div>
        <p className="muted small">
          保存した内容は、この画面・メール・公開サイトにすぐ反映されます（サーバーが複数ある構成では、ほかのサーバーで1分以内）。
          {profile.updatedAt ? ` 最終更新: ${formatDateTime(profile.updatedAt)}` : ''}
        </p>
      </form>

      <section className="card tenant-form" aria-labelledby="tenant-logo-title">
        <h2 id="tenant-logo-title">{TENANT_PROFILE_LABELS.logo}</h2>
        <p className="muted small">画面の上部と公開サイトに団体名と並べて表示されます。</p>
        <div className="logo-preview">
          {profile.logoUrl ? <img src={profile.logoUrl} alt="現在のロゴ" /> : <span className="muted">ロゴは登録されていません</span>}
        </div>
        <label htmlFor="tenant-logo-file">
          画像ファイル（{LOGO_TYPES.map((t) => LOGO_TYPE_LABELS[t]).join('・')}、{MAX_LOGO_BYTES / 1024} KB まで）
        </label>
        <p className="muted small">SVG はスクリプトや外部ファイルの読み込みを含まないものに限ります。</p>
        <input
          id="tenant-logo-file"
          type="file"
          accept=".png,.svg,image/png,image/svg+xml"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          {...marks('file')}
        />
        {errors.file ? (
          <p className="field-error" id="tenant-file-error">
            {errors.file}
          </p>
        ) : null}
        <div className="button-row">
          <button type="button" className="btn" disabled={busy} onClick={() => void uploadLogo()}>
            ロゴを登録
          </button>
          {profile.logoUrl ? (
            <button type="button" className="btn btn-danger-outline" disabled={busy} onClick={() => void removeLogo()}>
              ロゴを削除
            </button>
          ) : null}
        </div>
      </section>
    </>
  );
}
