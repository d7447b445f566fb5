import { useState } from 'react';
import { FIELD_SCOPE_LABELS, FIELD_TYPE_LABELS, type FormField } from '../../../../libs/domain/src/forms/form-field';
import type { Scale } from '../../types';
import { AddField } from './add-field';
import { FieldEditor } from './field-editor';
import { moved, renameInRule, type DraftField } from './model';
import { parseRule } from './rule-model';

interface Props {
  fields: DraftField[];
  onChange: (fields: DraftField[]) => void;
  scale: Scale | undefined;
  problems: string[];
}

const titleOf = (f: FormField) => f.label.trim() || f.key || '(表示名未入力)';

/** The messages of validateFormDefinition that name this field (by label or key). */
function problemsOfField(f: FormField, problems: string[]): string[] {
  const names = [f.label, f.key].filter(Boolean).map((n) => `「${n}」`);
  return problems.filter((p) => names.some((n) => p.includes(n)));
}

function ruleSummary(f: FormField): string[] {
  const out: string[] = [];
  const required = parseRule(f.required, 'required').mode;
  if (required === 'always') out.push('必須');
  else if (required !== 'never') out.push('条件付きで必須');
  const visible = parseRule(f.visible, 'visible').mode;
  if (visible === 'never') out.push('表示しない');
  else if (visible !== 'always') out.push('条件付きで表示');
  return out;
}

/** 入力項目: the form's fields in order, one open for editing at a time. */
export function FieldsSection({ fields, onChange, scale, problems }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const update = (uid: string, next: FormField) => {
    const before = fields.find((f) => f.uid === uid)!.field;
    // Rules naming the renamed key follow it, unless another field still has the old key.
    const follow = before.key !== next.key && !fields.some((f) => f.uid !== uid && f.field.key === before.key);
    onChange(
      fields.map((f) => {
        if (f.uid === uid) return { ...f, field: next };
        if (!follow) return f;
        const required = renameInRule(f.field.required, before.key, next.key);
        const visible = renameInRule(f.field.visible, before.key, next.key);
        return { ...f, field: { ...f.field, required, visible } };
      }),
    );
  };

  return (
    <section className="card" aria-labelledby="tpl-fields">
      <h3 id="tpl-fields">入力項目</h3>
      <p className="small muted">所管課の入力画面に上から順に表示されます。項目の「編集」で表示名・キー・必須・表示条件を設定します。</p>
      <ol className="field-list">
        {fields.map((item, i) => {
          const f = item.field;
          const title = titleOf(f);
          const mine = problemsOfField(f, problems);
          const isOpen = open === item.uid;
          return (
            <li key={item.uid} className={isOpen ? 'field-item open' : 'field-item'} data-field-key={f.key}>
              <div className="field-item-head">
                <span className="field-item-no">{i + 1}</span>
                <span className="field-item-title">{title}</span>
                <span className="badge badge-muted">{FIELD_TYPE_LABELS[f.type] ?? f.type}</span>
                {f.scope !== 'entry' ? <span className="badge badge-info">{FIELD_SCOPE_LABELS[f.scope]}</span> : null}
                {ruleSummary(f).map((s) => (
                  <span key={s} className="badge badge-warning">
                    {s}
                  </span>
                ))}
                {mine.length ? <span className="badge badge-danger">要確認</span> : null}
                <span className="button-row field-item-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-expanded={isOpen}
                    aria-label={`「${title}」を${isOpen ? '閉じる' : '編集'}`}
                    onClick={() => setOpen(isOpen ? null : item.uid)}
                  >
                    {isOpen ? '閉じる' : '編集'}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`「${title}」を上へ`}
                    disabled={i === 0}
                    onClick={() => onChange(moved(fields, i, -1))}
                  >
                    上へ
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`「${title}」を下へ`}
                    disabled={i === fields.length - 1}
                    onClick={() => onChange(moved(fields, i, 1))}
                  >
                    下へ
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger-outline"
                    aria-label={`「${title}」を削除`}
                    disabled={fields.length === 1}
                    onClick={() => onChange(fields.filter((x) => x.uid !== item.uid))}
                  >
                    削除
                  </button>
                </span>
              </div>
              {isOpen ? (
                <FieldEditor
                  index={i}
                  item={item}
                  others={fields.filter((x) => x.uid !== item.uid).map((x) => x.field)}
                  scale={scale}
                  problems={mine}
                  autoFocus={added === item.uid}
                  onChange={(next) => update(item.uid, next)}
                />
              ) : null}
            </li>
          );
        })}
      </ol>
      <AddField
        fields={fields}
        onAdd={(item) => {
          onChange([...fields, item]);
          setOpen(item.uid);
          setAdded(item.uid);
        }}
      />
    </section>
  );
}
