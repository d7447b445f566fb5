import { FIELD_TYPE_LABELS, type FormField } from '../../../libs/domain/src/forms/form-field';
import type { Scale } from '../types';

/** Placeholder: the real preview is written in the main checkout and replaces this file at merge. */
export function FormPreview({ fields }: { fields: FormField[]; scale: Scale }) {
  return (
    <ul className="plain">
      {fields.map((f) => (
        <li key={f.key}>
          {f.label}({FIELD_TYPE_LABELS[f.type]})
        </li>
      ))}
    </ul>
  );
}
