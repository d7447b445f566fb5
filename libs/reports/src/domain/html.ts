const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values; entries are user input. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Escaped text with line breaks kept (progress texts are multi-line). */
export function multiline(value: unknown): string {
  return escapeHtml(value).replace(/\r?\n/g, '<br>');
}
