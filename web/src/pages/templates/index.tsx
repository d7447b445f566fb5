import { useState } from 'react';
import { api } from '../../api';
import { useActor } from '../../auth';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../../components/common';
import { hasRole } from '../../format';
import { navigate } from '../../router';
import type { Me, Plan, Scale, SharedTemplate } from '../../types';
import { useLoad } from '../../use-load';
import type { CycleRecord, TemplateRecord } from './model';
import { TemplateEditor } from './template-editor';
import { DistributeSection } from './distribute-section';
import { DistributedTemplates, SharedTemplates } from './shared-templates';
import { TemplateList } from './template-list';
import './builder.css';

/**
 * テンプレート: the templates, and the no-code builder of one (new at /templates, an existing
 * one at /templates/:id) for the planning division.
 */
export function TemplatesPage({ editId }: { editId?: number }) {
  // The API decides; others only read the list (the menu shows this page to planning and admin).
  const canEdit = hasRole(useActor().roles, 'planning', 'admin');
  // Read again on every move between templates: someone else may have added one.
  const templates = useLoad(() => api.get<TemplateRecord[]>('/templates'), [editId]);
  const plans = useLoad(() => api.get<Plan[]>('/plans'), []);
  const scales = useLoad(() => api.get<Scale[]>('/scales'), []);
  const editing = useLoad(() => (editId ? api.get<TemplateRecord>(`/templates/${editId}`) : Promise.resolve(null)), [editId]);
  const cycles = useLoad(() => (editId ? api.get<CycleRecord[]>(`/cycles?templateId=${editId}`) : Promise.resolve([])), [editId]);
  // A prefecture's (its own) or a municipality's prefecture's shared templates; how many municipalities this tenant has.
  const shared = useLoad(() => (canEdit ? api.get<SharedTemplate[]>('/shared-templates') : Promise.resolve([])), [canEdit]);
  const me = useLoad(() => (canEdit ? api.get<Me>('/auth/me') : Promise.resolve(null)), [canEdit]);
  const [notice, setNotice] = useState<{ text: string; kind: 'success' | 'warning' } | null>(null);
  // 市町村へ配布: the planning division (or an administrator) of a tenant that has municipalities, a prefecture.
  const distributes = canEdit && (me.data?.municipalities ?? 0) > 0;

  const template = editId ? (editing.data?.id === editId ? editing.data : undefined) : null;
  const ready = plans.data && scales.data && template !== undefined;

  const reloadAll = async () => {
    await Promise.all([editing.reload(), cycles.reload(), templates.reload()]);
    window.scrollTo(0, 0);
  };

  return (
    <>
      <PageHeader title="テンプレート" />
      <ErrorMessage message={templates.error ?? plans.error ?? scales.error ?? editing.error ?? shared.error} />
      <Notice message={notice?.text} kind={notice?.kind} />
      {templates.loading && !templates.data ? <Loading /> : null}
      {templates.data && templates.data.length === 0 ? <Empty>テンプレートはまだありません。</Empty> : null}
      {distributes && shared.data && !editId ? <DistributedTemplates shared={shared.data} templates={templates.data} /> : null}
      {canEdit && plans.data && shared.data && !editId ? (
        <SharedTemplates
          shared={shared.data}
          plans={plans.data}
          onAdopted={(adopted) => {
            setNotice({ text: `共通テンプレート「${adopted.name}」を採用しました。承認ルートを設定して保存してください。`, kind: 'success' });
            void templates.reload();
            navigate(`/templates/${adopted.id}`);
          }}
        />
      ) : null}
      {templates.data?.length ? <TemplateList templates={templates.data} plans={plans.data} scales={scales.data} editingId={editId} /> : null}
      {distributes && template && shared.data ? (
        <DistributeSection
          key={`distribute-${template.id}-v${template.version}`}
          template={template}
          scale={scales.data?.find((s) => s.code === template.scaleCode)}
          distributed={shared.data.find((s) => s.own && s.code === template.code)}
          municipalities={me.data?.municipalities ?? 0}
          onPublished={(published) => {
            setNotice({ text: `共通テンプレート「${published.name}」(第${published.version}版)を市町村へ配布しました。`, kind: 'success' });
            void shared.reload();
            window.scrollTo(0, 0);
          }}
        />
      ) : null}

      {!canEdit ? null : ready ? (
        <TemplateEditor
          key={template ? `${template.id}-v${template.version}` : 'new'}
          template={template}
          cycles={cycles.data}
          plans={plans.data!}
          scales={scales.data!}
          reloadScales={scales.reload}
          onSubmitting={() => setNotice(null)}
          onSaved={(saved, created) => {
            if (created) {
              setNotice({ text: `テンプレート「${saved.name}」を作成しました。`, kind: 'success' });
              void templates.reload();
              navigate(`/templates/${saved.id}`);
            } else {
              setNotice({ text: `テンプレート「${saved.name}」を保存しました(第${saved.version}版)。`, kind: 'success' });
              void reloadAll();
            }
          }}
          onStale={() => {
            setNotice({
              text: '他の利用者が先にこのテンプレートを更新していたため、最新の内容を読み込み直しました。変更をもう一度行ってから保存してください。',
              kind: 'warning',
            });
            void reloadAll();
          }}
        />
      ) : editing.error ? null : (
        <Loading />
      )}
    </>
  );
}
