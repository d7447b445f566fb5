import { FORM_LAYOUT_LABELS, FORM_LAYOUTS, type FormLayout } from '../../../../libs/domain/src/forms/form-field';

/** 帳票の様式: how the printable report lays the form out. */
export function LayoutSection({ layout, onChange }: { layout: FormLayout; onChange: (layout: FormLayout) => void }) {
  return (
    <section className="card" aria-labelledby="tpl-layout">
      <h3 id="tpl-layout">印刷用報告書</h3>
      <fieldset className="field">
        <legend>報告書の様式</legend>
        {FORM_LAYOUTS.map((l) => (
          <label key={l} className="checkbox">
            <input type="radio" name="tpl-layout" value={l} checked={layout === l} onChange={() => onChange(l)} />
            {FORM_LAYOUT_LABELS[l]}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
