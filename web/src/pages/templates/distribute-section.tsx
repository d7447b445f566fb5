import { useState, type FormEvent } from 'react';
import { FORM_LAYOUT_LABELS } from '../../../../libs/domain/src/forms/form-field';
import { PERIOD_TYPE_LABELS } from '../../../../libs/domain/src/periods/period';
import { api } from '../../api';
import { ErrorMessage } from '../../components/common';
import { eraYearLabel } from '../../fiscal-years';
import { formatDate } from '../../format';
import type { PublishSharedTemplate, Scale, SharedTemplate } from '../../types';
import { draftOf, formOf, type TemplateRecord } from './model';

/** What POST /shared-templates is sent for a template: its saved definition, without its plan or approval route (each municipality's). */
export function publishBodyOf(t: TemplateRecord): PublishSharedTemplate {
  return {
    code: t.code,
    name: t.name,
    periodType: t.periodType,
    ...(t.spanYears ? { spanYears: t.spanYears } : {}),
    ...(t.firstFiscalYear ? { firstFiscalYear: t.firstFiscalYear } : {}),
    scaleCode: t.scaleCode,
    fields: formOf(draftOf(t)) as PublishSharedTemplate['fields'],
    layout: t.layout,
  };
}

function periodText(t: TemplateRecord): string {
  const label = PERIOD_TYPE_LABELS[t.periodType] ?? t.periodType;
  return t.spanYears && t.firstFiscalYear ? `${label}(${t.spanYears}年、${eraYearLabel(t.firstFiscalYear)}から)` : label;
}

/**
 * 市町村へ配布: a prefecture's planning division sends the saved template to its municipalities
 * as a shared template (POST /shared-templates; the same code again is the next version). The
 * panel names what is sent before it is; a municipality's copy, once adopted, is its own.
 */
export function DistributeSection({
  template,
  scale,
  distributed,
  municipalities,
  onPublished,
}: {
  template: TemplateRecord;
  scale: Scale | undefined;
  /** The shared template of this code the tenant distributes already, if any. */
  distributed: SharedTemplate | undefined;
  municipalities: number;
  onPublished: (shared: SharedTemplate) => void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const body = publishBodyOf(template);
  const fields = body.fields ?? [];

  async function publish(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const shared = await api.post<SharedTemplate>('/shared-templates', body);
      setOpen(false);
      onPublished(shared);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card distribute-card" aria-labelledby="tpl-distribute">
      <h2 id="tpl-distribute">共通テンプレートとして配布</h2>
      <p>
        {distributed ? (
          <>
            このテンプレートのコード({template.code})で<strong>第{distributed.version}版</strong>を配布中です({formatDate(distributed.publishedAt)}配布)。
          </>
        ) : (
          <>このテンプレートはまだ管内の市区町村に配布していません。</>
        )}
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn"
          aria-expanded={open}
          aria-controls={open ? 'distribute-confirm' : undefined}
          onClick={() => {
            setOpen(!open);
            setError(null);
          }}
        >
          市町村へ配布
        </button>
      </div>
      {open ? (
        <form id="distribute-confirm" className="confirm-panel" onSubmit={publish} aria-label="市町村へ配布の確認">
          <p className="small">
            保存済みの内容(テンプレート第{template.version}版)を、管内の市区町村({municipalities}団体)に
            {distributed ? <strong>共通テンプレート第{distributed.version + 1}版</strong> : <strong>共通テンプレート</strong>}
            として配布します。
          </p>
          <dl className="distribute-facts small">
            <dt>コード</dt>
            <dd>{body.code}</dd>
            <dt>名称</dt>
            <dd>{body.name}</dd>
            <dt>周期</dt>
            <dd>{periodText(template)}</dd>
            <dt>評価尺度</dt>
            <dd>{scale?.name ?? body.scaleCode}</dd>
            <dt>入力項目</dt>
            <dd>
              {fields.length}項目({fields.map((f) => f.label).join('、')})
            </dd>
            <dt>報告書の様式</dt>
            <dd>{FORM_LAYOUT_LABELS[template.layout] ?? template.layout}</dd>
          </dl>
          <p className="small muted">
            計画と承認ルートは送りません(各市区町村が採用するときに決めます)。
            {distributed ? '採用済みの市区町村のテンプレートは、新しい版を配布しても変わりません。' : ''}
          </p>
          <ErrorMessage message={error} />
          <div className="button-row">
            <button type="submit" className="btn btn-small btn-primary" disabled={busy}>
              配布する
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>
              キャンセル
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
