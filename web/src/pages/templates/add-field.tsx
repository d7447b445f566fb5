import { useState } from 'react';
import { BUILTIN_KEY_TYPES, FIELD_TYPE_LABELS, MAX_FORM_FIELDS, type BuiltinEntryKey, type FieldType } from '../../../../libs/domain/src/forms/form-field';
import { builtinField, builtinLabel, CUSTOM_FIELD_TYPES, customField, draftField, missingBuiltins, proposeKey, type DraftField } from './model';

const BUILTIN_PREFIX = 'builtin:';

/** 項目を追加: a new field of a chosen type (its key proposed), or a built-in field not yet in the form. */
export function AddField({ fields, onAdd }: { fields: DraftField[]; onAdd: (item: DraftField) => void }) {
  const [choice, setChoice] = useState<string>('long_text');
  const builtins = missingBuiltins(fields);
  const full = fields.length >= MAX_FORM_FIELDS;
  const selected = choice.startsWith(BUILTIN_PREFIX) && !builtins.includes(choice.slice(BUILTIN_PREFIX.length) as BuiltinEntryKey) ? 'long_text' : choice;

  const add = () => {
    onAdd(
      selected.startsWith(BUILTIN_PREFIX)
        ? draftField(builtinField(selected.slice(BUILTIN_PREFIX.length) as BuiltinEntryKey))
        : draftField(customField(selected as FieldType, proposeKey(fields))),
    );
  };

  return (
    <fieldset className="add-field row-form">
      <legend className="visually-hidden">項目を追加</legend>
      <label htmlFor="tpl-add-type">追加する項目の種類</label>
      <select id="tpl-add-type" value={selected} onChange={(e) => setChoice(e.target.value)}>
        <optgroup label="新しい項目">
          {CUSTOM_FIELD_TYPES.map((t) => (
            <option key={t} value={t}>
              {FIELD_TYPE_LABELS[t]}
            </option>
          ))}
        </optgroup>
        {builtins.length ? (
          <optgroup label="標準の項目">
            {builtins.map((k) => (
              <option key={k} value={`${BUILTIN_PREFIX}${k}`}>
                {builtinLabel(k)}({FIELD_TYPE_LABELS[BUILTIN_KEY_TYPES[k]]})
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      <button type="button" className="btn btn-primary btn-small" disabled={full} onClick={add}>
        項目を追加
      </button>
      {full ? <span className="small muted">項目は{MAX_FORM_FIELDS}個までです。</span> : null}
    </fieldset>
  );
}
