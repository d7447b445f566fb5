import { ApiError } from '../../api';
import type { Draft } from './model';

/**
 * Every message of an API error: the 422 of a form lists each problem in `errors`, a 400
 * names each field by its JSON path ("fields.3.key: …"), which is read back as the field's
 * label when the draft is known.
 */
export function messagesOf(err: unknown, draft?: Draft): string[] {
  if (!(err instanceof ApiError)) return [(err as Error).message];
  const listed = Array.isArray(err.body.errors) ? (err.body.errors as { message?: unknown }[]).map((e) => String(e.message ?? '')).filter(Boolean) : [];
  const messages = listed.length ? listed : [err.message];
  return messages.map((m) =>
    m.replace(/^fields\.(\d+)\.?/, (all, i: string) => {
      const f = draft?.fields[Number(i)]?.field;
      return f ? `項目「${f.label || f.key}」の` : all;
    }),
  );
}
