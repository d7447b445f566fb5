/** Text clean-up shared by the seed parsers (the reports were extracted from PDF/Excel). */

const CJK = '[\\u3000-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]';
const CJK_GAP = new RegExp(`(${CJK}) +(?=${CJK})`, 'gu');

/** Collapses runs of whitespace (including full-width spaces) and trims. */
export function squeeze(text: string | undefined): string {
  return (text ?? '').replace(/[\s\u3000]+/gu, ' ').trim();
}

/**
 * Also drops single spaces between two Japanese characters: PDF extraction breaks
 * names such as 'デジタル戦 略課'. Only for short labels (titles, section names, dates);
 * in running text the space can be a real separator.
 */
export function joinCjk(text: string | undefined): string {
  return squeeze(text).replace(CJK_GAP, '$1');
}

/** Removes HTML tags some cells carry ('<p>', '<ul style=…>') and squeezes the rest. */
export function stripHtml(text: string | undefined): string {
  return squeeze((text ?? '').replace(/<\/?(li|p|br)\b[^>]*>/giu, ' ').replace(/<[^>]+>/gu, ' '));
}

/** Splits a 所管課 cell such as '学校教育課・教育総務課' into names. */
export function splitSectionNames(text: string): string[] {
  return text
    .split(/[・、,，\n]/u)
    .map((s) => joinCjk(s))
    .filter(Boolean);
}
