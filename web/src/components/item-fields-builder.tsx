import { useState } from 'react';
import { FIELD_TYPE_LABELS, FIELD_TYPES, SDGS_OPTIONS, type FieldType } from '../../../libs/domain/src/forms/form-field';
import { api } from '../api';
import type { FormField, PlanDetail } from '../plan-types';
import type { RunAction } from '../use-action';

/** Types an item attribute may have: the rating and the KPI table belong to the entry. */
const ATTRIBUTE_TYPES = FIELD_TYPES.filter((t) => t !== 'rating' && t !== 'kpi_table');
const isChoice = (t: FieldType) => t === 'single_choice' || t === 'multi_choice';
const isNumber = (t: FieldType) => t === 'number' || t === 'money';

interface FieldDraft {
  uid: number;
  key: string;
  label: string;
  type: FieldType;
  help: string;
  unit: string;
  decimals: string;
  perYear: boolean;
  options: { value: string; label: string }[];
  maxSelections: string;
  maxLength?: number;
}

let nextUid = 1;

function draftOf(f: FormField): FieldDraft {
  return {
    uid: nextUid++,
    key: f.key,
    label: f.label,
    type: f.type,
    help: f.help ?? '',
    unit: f.unit ?? '',
    decimals: f.decimals === undefined ? '' : String(f.decimals),
    perYear: !!f.perYear,
    options: (f.options ?? []).map((o) => ({ ...o })),
    maxSelections: f.maxSelections === undefined ? '' : String(f.maxSelections),
    maxLength: f.maxLength,
  };
}

/** The definition as the api takes it: only what the type uses. */
function fieldOf(d: FieldDraft): Record<string, unknown> {
  const f: Record<string, unknown> = { key: d.key.trim(), label: d.label.trim(), type: d.type, scope: 'item' };
  if (d.help.trim()) f.help = d.help.trim();
  if (d.perYear) f.perYear = true;
  if (isNumber(d.type)) {
    if (d.unit.trim()) f.unit = d.unit.trim();
    if (d.decimals.trim()) f.decimals = Number(d.decimals);
  }
  if (isChoice(d.type)) {
    f.options = d.options.map((o) => ({ value: o.value.trim(), label: (o.label || o.value).trim() }));
    if (d.type === 'multi_choice' && d.maxSelections.trim()) f.maxSelections = Number(d.maxSelections);
  }
  if ((d.type === 'short_text' || d.type === 'long_text') && d.maxLength !== undefined) f.maxLength = d.maxLength;
  return f;
}

/**
 * 項目の属性: what every item of the plan records besides its title and sections (根拠法令,
 * 予算額 per year, SDGs). Saved as a whole; the api refuses (and says why) a definition that
 * values already entered would break.
 */
export function ItemFieldsBuilder({ plan, disabled, onAction }: { plan: PlanDetail; disabled: boolean; onAction: RunAction }) {
  const [drafts, setDrafts] = useState<FieldDraft[]>(() => plan.itemFields.map(draftOf));
  const update = (uid: number, change: Partial<FieldDraft>) => setDrafts(drafts.map((d) => (d.uid === uid ? { ...d, ...change } : d)));
  const move = (index: number, by: number) => {
    const next = [...drafts];
    const [d] = next.splice(index, 1);
    next.splice(index + by, 0, d);
    setDrafts(next);
  };
  const add = () => setDrafts([...drafts, draftOf({ key: `attr${drafts.length + 1}`, label: '', type: 'short_text', scope: 'item' })]);
  return (
    <section className="card" aria-labelledby="item-fields">
      <h2 id="item-fields">項目の属性</h2>
      <p className="small muted">
        すべての項目に共通して記録する内容(根拠法令、年度ごとの予算額、SDGsなど)です。エントリーの様式には読み取り専用で表示されます。表示名は取り込みファイルの列名に、キー(英字で始まる半角英数字と
        _、40文字以内)は出力や条件式での名前になります。属性を削除しても項目に入力済みの値は消えず、同じキーで定義し直すと戻ります。
      </p>
      {drafts.length === 0 ? <p className="muted">属性はまだありません。</p> : null}
      <ol className="builder-list">
        {drafts.map((d, i) => (
          <li key={d.uid}>
            <FieldEditor
              draft={d}
              index={i}
              count={drafts.length}
              disabled={disabled}
              onChange={(change) => update(d.uid, change)}
              onMove={(by) => move(i, by)}
              onRemove={() => setDrafts(drafts.filter((x) => x.uid !== d.uid))}
            />
          </li>
        ))}
      </ol>
      {disabled ? null : (
        <div className="form-actions">
          <button type="button" className="btn" onClick={add}>
            属性を追加
          </button>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() =>
              void onAction(async () => {
                await api.patch(`/plans/${plan.id}`, { itemFields: drafts.map(fieldOf), version: plan.version });
                return `項目の属性を保存しました(${drafts.length}件)。`;
              })
            }
          >
            属性の定義を保存
          </button>
        </div>
      )}
    </section>
  );
}

function FieldEditor({
  draft: d,
  index,
  count,
  disabled,
  onChange,
  onMove,
  onRemove,
}: {
  draft: FieldDraft;
  index: number;
  count: number;
  disabled: boolean;
  onChange: (change: Partial<FieldDraft>) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const id = `field-${d.uid}`;
  const name = d.label.trim() || `属性${index + 1}`;
  return (
    <fieldset className="builder-field" disabled={disabled}>
      <legend>属性{index + 1}</legend>
      <div className="builder-grid">
        <div className="field">
          <label htmlFor={`${id}-label`}>表示名</label>
          <input id={`${id}-label`} value={d.label} onChange={(e) => onChange({ label: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-key`}>キー(半角英数字)</label>
          <input id={`${id}-key`} value={d.key} onChange={(e) => onChange({ key: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>種類</label>
          <select id={`${id}-type`} value={d.type} onChange={(e) => onChange({ type: e.target.value as FieldType })}>
            {ATTRIBUTE_TYPES.map((t) => (
              <option key={t} value={t}>
                {FIELD_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-help`}>説明(入力する人への案内)</label>
          <input id={`${id}-help`} value={d.help} onChange={(e) => onChange({ help: e.target.value })} />
        </div>
        {isNumber(d.type) ? (
          <>
            <div className="field">
              <label htmlFor={`${id}-unit`}>単位</label>
              <input id={`${id}-unit`} value={d.unit} onChange={(e) => onChange({ unit: e.target.value })} placeholder={d.type === 'money' ? '千円' : '人'} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-decimals`}>小数の桁数</label>
              <input id={`${id}-decimals`} inputMode="numeric" value={d.decimals} onChange={(e) => onChange({ decimals: e.target.value })} placeholder="0" />
            </div>
          </>
        ) : null}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={d.perYear} onChange={(e) => onChange({ perYear: e.target.checked })} />
        年度ごとに入力する(予算額・決算額・年次計画など)
      </label>
      {isChoice(d.type) ? <OptionsEditor draft={d} name={name} onChange={onChange} /> : null}
      <div className="button-row builder-actions">
        <button type="button" className="btn btn-small" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`${name}を上へ`}>
          上へ
        </button>
        <button type="button" className="btn btn-small" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`${name}を下へ`}>
          下へ
        </button>
        <button type="button" className="btn btn-small btn-danger-outline" onClick={onRemove} aria-label={`${name}を削除`}>
          削除
        </button>
      </div>
    </fieldset>
  );
}

/** The choices; a long list (SDGs) is folded to one line until asked for. */
function OptionsEditor({ draft: d, name, onChange }: { draft: FieldDraft; name: string; onChange: (change: Partial<FieldDraft>) => void }) {
  const id = `field-${d.uid}`;
  const [open, setOpen] = useState(d.options.length <= 6);
  const setOption = (i: number, change: Partial<{ value: string; label: string }>) =>
    onChange({ options: d.options.map((o, j) => (j === i ? { ...o, ...change } : o)) });
  return (
    <div className="options-editor">
      <div className="options-summary">
        <span className="options-count">選択肢 {d.options.length}件</span>
        {open ? null : <span className="small muted">{d.options.map((o) => o.label || o.value).join('、')}</span>}
        <button type="button" className="btn btn-small btn-ghost" aria-expanded={open} aria-controls={`${id}-options`} onClick={() => setOpen(!open)}>
          {open ? `${name}の選択肢を閉じる` : `${name}の選択肢を編集`}
        </button>
      </div>
      <table className="table options-table" id={`${id}-options`} hidden={!open}>
        <caption>{name}の選択肢</caption>
        <thead>
          <tr>
            <th scope="col">値(保存・取り込みに使う)</th>
            <th scope="col">表示名</th>
            <th scope="col" className="actions">
              操作
            </th>
          </tr>
        </thead>
        <tbody>
          {d.options.map((o, i) => (
            <tr key={i}>
              <td>
                <input className="option-value" aria-label={`選択肢${i + 1}の値`} value={o.value} onChange={(e) => setOption(i, { value: e.target.value })} />
              </td>
              <td>
                <input aria-label={`選択肢${i + 1}の表示名`} value={o.label} onChange={(e) => setOption(i, { label: e.target.value })} />
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => onChange({ options: d.options.filter((_, j) => j !== i) })}
                  aria-label={`選択肢${i + 1}を削除`}
                >
                  削除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="button-row">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setOpen(true);
            onChange({ options: [...d.options, { value: '', label: '' }] });
          }}
        >
          選択肢を追加
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setOpen(false);
            onChange({ options: SDGS_OPTIONS.map((o) => ({ ...o })) });
          }}
        >
          SDGs(1～17)を入れる
        </button>
      </div>
      {d.type === 'multi_choice' ? (
        <div className="field field-narrow">
          <label htmlFor={`${id}-max`}>選べる数の上限(空欄は制限なし)</label>
          <input id={`${id}-max`} inputMode="numeric" value={d.maxSelections} onChange={(e) => onChange({ maxSelections: e.target.value })} />
        </div>
      ) : null}
    </div>
  );
}
