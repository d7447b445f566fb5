import { useMemo, useRef, useState, type FormEvent } from 'react';
import { normaliseForm } from '../../../../libs/domain/src/forms/form-definition';
import { api, ApiError } from '../../api';
import { FormPreview } from '../../components/form-preview';
import { Link } from '../../router';
import type { Plan, Scale } from '../../types';
import { BasicsSection } from './basics-section';
import { messagesOf } from './errors';
import { FieldsSection } from './fields-section';
import { LayoutSection } from './layout-section';
import { useFocusFirstInvalid } from '../../focus-invalid';
import { bodyOf, draftOf, formOf, newDraft, problemsOf, type CycleRecord, type Draft, type TemplateRecord } from './model';
import { ProblemList } from './problem-list';
import { DeadlineSection, RouteSection } from './route-section';
import { ScaleSection } from './scale-section';
import { VersionsSection } from './versions-section';

interface Props {
  template: TemplateRecord | null;
  cycles: CycleRecord[] | undefined;
  plans: Plan[];
  scales: Scale[];
  reloadScales: () => Promise<void>;
  onSubmitting: () => void;
  onSaved: (template: TemplateRecord, created: boolean) => void;
  /** 409: someone saved the template since it was loaded. */
  onStale: () => void;
}

type Refusal = { by: 'browser' } | { by: 'api'; messages: string[] };

const NO_SCALE: Scale = { code: '', name: '', options: [], reasonRequiredFor: [] };

/**
 * The builder: basics, scale, fields with their rules, report layout, approval route,
 * deadlines and reminders, with the form's problems and a preview beside it. The form is
 * checked with the domain's validateFormDefinition before it is sent.
 */
export function TemplateEditor({ template, cycles, plans, scales, reloadScales, onSubmitting, onSaved, onStale }: Props) {
  const [draft, setDraft] = useState<Draft>(() => (template ? draftOf(template) : newDraft(plans[0]?.id, scales[0]?.code ?? 'progress4')));
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [scaleNotice, setScaleNotice] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const plan = plans.find((p) => String(p.id) === draft.planId);
  const problems = useMemo(() => problemsOf(draft, plan), [draft, plan]);
  const preview = useMemo(() => normaliseForm(formOf(draft)), [draft]);
  const scale = scales.find((s) => s.code === draft.scaleCode);
  const creating = draft.id === null;

  const invalid = useFocusFirstInvalid<HTMLFormElement>();

  function showPanel() {
    panel.current?.scrollIntoView({ block: 'nearest' });
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    onSubmitting();
    if (problemsOf(draft, plan).length) {
      setRefusal({ by: 'browser' });
      showPanel();
      invalid.request();
      return;
    }
    setBusy(true);
    setRefusal(null);
    try {
      const body = bodyOf(draft);
      const saved = creating ? await api.post<TemplateRecord>('/templates', body) : await api.patch<TemplateRecord>(`/templates/${draft.id}`, body);
      onSaved(saved, creating);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body.field === 'version') {
        onStale();
        return;
      }
      setRefusal({ by: 'api', messages: messagesOf(err, draft) });
      showPanel();
      invalid.request();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={invalid.ref} className="builder" onSubmit={save} aria-labelledby="tpl-editor">
      <div className="builder-head">
        <h2 id="tpl-editor">{creating ? 'テンプレートの作成' : `テンプレートの編集: ${template?.name}`}</h2>
        {creating ? null : <Link to="/templates">新しいテンプレートを作成する</Link>}
      </div>
      <div className="builder-layout">
        <div className="builder-main">
          {template ? <VersionsSection version={template.version} cycles={cycles} /> : null}
          <BasicsSection draft={draft} plans={plans} set={set} />
          <ScaleSection
            scales={scales}
            scaleCode={draft.scaleCode}
            notice={scaleNotice}
            onChange={(code) => {
              setScaleNotice(null);
              set('scaleCode', code);
            }}
            onCreated={async (s) => {
              await reloadScales();
              set('scaleCode', s.code);
              setScaleNotice(`評価尺度「${s.name}」を作成し、このテンプレートの評価尺度にしました。`);
            }}
          />
          <FieldsSection fields={draft.fields} onChange={(fields) => set('fields', fields)} scale={scale} problems={problems} />
          <LayoutSection layout={draft.layout} onChange={(layout) => set('layout', layout)} />
          <RouteSection draft={draft} set={set} />
          <DeadlineSection draft={draft} set={set} />
          <div className="form-actions">
            {creating ? null : (
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => {
                  if (!template) return;
                  setDraft(draftOf(template));
                  setRefusal(null);
                }}
              >
                変更を取り消す
              </button>
            )}
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {creating ? '作成' : '保存'}
            </button>
          </div>
        </div>
        <aside className="builder-side" aria-label="確認とプレビュー">
          <div className="card" ref={panel}>
            <h3>入力内容の確認</h3>
            {refusal?.by === 'api' ? <ProblemList title="保存できませんでした。次の点を直してください。" problems={refusal.messages} /> : null}
            {refusal?.by === 'browser' ? <ProblemList title="保存する前に次の点を直してください。" problems={problems} /> : null}
            {refusal?.by !== 'browser' && problems.length ? (
              <ul className="live-problems" aria-label="直す必要のある点">
                {problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            ) : null}
            {problems.length === 0 && refusal?.by !== 'api' ? <p className="small muted">入力項目の設定に問題は見つかりません。</p> : null}
          </div>
          <div className="card preview-card">
            <h3>プレビュー(所管課の入力画面)</h3>
            <FormPreview fields={preview} scale={scale ?? NO_SCALE} />
          </div>
        </aside>
      </div>
    </form>
  );
}
