import { DIRECTION_OPTIONS, MAX_FIELD_OPTIONS, SDGS_OPTIONS, type FieldOption } from '../../../../libs/domain/src/forms/form-field';

interface Props {
  options: FieldOption[];
  onChange: (options: FieldOption[]) => void;
  idBase: string;
}

const PRESETS: { name: string; options: FieldOption[] }[] = [
  { name: 'SDGs(1~17)', options: SDGS_OPTIONS },
  { name: '事業の方向性', options: DIRECTION_OPTIONS },
];

/**
 * The options of a single or multiple choice: value (stored, named by rules and the export)
 * and label (shown). While the value has not been set apart from the label it follows it.
 */
export function ChoiceOptions({ options, onChange, idBase }: Props) {
  const set = (i: number, next: FieldOption) => onChange(options.map((o, j) => (j === i ? next : o)));
  return (
    <fieldset className="field">
      <legend>選択肢</legend>
      <div className="button-row preset-row">
        {PRESETS.map((p) => (
          <button key={p.name} type="button" className="btn btn-small" onClick={() => onChange(p.options.map((o) => ({ ...o })))}>
            {p.name}の選択肢を入れる
          </button>
        ))}
      </div>
      {options.length ? (
        <table className="table option-table">
          <thead>
            <tr>
              <th scope="col">表示する文字</th>
              <th scope="col">値(保存・条件で使う)</th>
              <th scope="col">
                <span className="visually-hidden">操作</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {options.map((o, i) => (
              <tr key={i}>
                <td>
                  <input
                    id={`${idBase}-opt-${i}-label`}
                    aria-label={`選択肢${i + 1}の表示する文字`}
                    value={o.label}
                    maxLength={200}
                    onChange={(e) => set(i, { label: e.target.value, value: o.value === o.label ? e.target.value : o.value })}
                  />
                </td>
                <td>
                  <input aria-label={`選択肢${i + 1}の値`} value={o.value} maxLength={100} onChange={(e) => set(i, { ...o, value: e.target.value })} />
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn-small btn-danger-outline"
                    aria-label={`選択肢${i + 1}を削除`}
                    onClick={() => onChange(options.filter((_, j) => j !== i))}
                  >
                    削除
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint">選択肢がまだありません。追加するか、上のボタンで用意された一覧を入れてください。</p>
      )}
      <button
        type="button"
        className="btn btn-small"
        disabled={options.length >= MAX_FIELD_OPTIONS}
        onClick={() => onChange([...options, { value: '', label: '' }])}
      >
        選択肢を追加
      </button>
    </fieldset>
  );
}
